# Demandes de places, désignations, attribution et retours d’expérience.

reason-deadline-passed = les inscriptions ont fermé le { $value }
reason-not-taking-requests = l’événement est { $value } et ne prend pas de demandes
reason-not-eligible = { $nation } ne peut pas participer à cet événement à ses dates : { $why }
reason-above-quota = dépasse le quota de { $value } places par nation
reason-already-nominated = { $value } est déjà désigné pour cet événement
reason-seats-all-named = les { $value } places de la demande ont toutes un participant ; demandez d’abord plus de places
reason-request-cancelled = la demande est annulée
reason-not-at-deadline = l’événement attribue les places à mesure des demandes (premier arrivé) : il n’y a rien à attribuer

seat-why-full = les { $asked } places demandées sont attribuées
seat-why-not-eligible = non éligible aux dates de l’événement
seat-why-quota = le quota de { $quota } places par nation est atteint
seat-why-higher-priority = { $capacity } places, toutes prises par les { $ahead } places demandées à des priorités plus hautes
seat-why-spread = { $capacity } places, { $asked } places demandées à la priorité { $priority } ou plus haute, une par nation d’abord : votre place nº { $seat } est venue trop tard
seat-why-taken = les { $capacity } places étaient prises à l’arrivée de la demande
seat-why-budget = le budget annuel de { $seats } places financées est épuisé
seat-why-budget-area = le budget annuel de { $seats } places financées en { $area } est épuisé

seat-answer-allocated = attribuée : { $why }
seat-answer-partly = { $granted } sur { $asked } attribuées : { $why }
seat-answer-waitlisted = en liste d’attente : { $why }
seat-answer-requested = demandée : les places sont attribuées à la clôture des inscriptions le { $deadline }
seat-answer-cancelled = annulée

seat-status-requested = Demandée
seat-status-allocated = Attribuée
seat-status-waitlisted = En liste d’attente
seat-status-cancelled = Annulée
