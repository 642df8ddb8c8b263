# Messages construits par l’application (erreurs, refus, titres faits dans le code).
language-name = Français
nav-languages = Langue

nations-found = { $count ->
    [one] { $count } nation trouvée.
   *[other] { $count } nations trouvées.
}
nations-heading = Nations
nations-matching = Nations correspondant à « { $query } »

flash-token-revoked = Le jeton a été révoqué.

error-not-found = Introuvable
error-not-found-detail = Il n’y a rien ici, ou cela ne vous est pas communiqué.
error-no-page = Il n’y a pas de page à cette adresse.
error-refused = Refusé
error-bad-csrf = Le jeton de sécurité du formulaire manque ou est erroné ; rechargez la page et recommencez.
error-read-only-token = Ce jeton d’API ne permet que la lecture.
error-throttled = Trop de connexions échouées ; réessayez dans { $seconds } secondes.
error-busy = Le serveur est occupé ; réessayez dans un instant.
error-session-required = Les mots de passe et les jetons se gèrent après connexion, pas avec un jeton d’API.
error-wrong-credentials = Adresse électronique ou mot de passe erroné.
error-too-large = Le fichier dépasse la limite de { $limit } octets.
error-invalid = { $field } : { $reason }
error-internal-heading = Erreur interne
error-internal = Un incident s’est produit de notre côté ; il a été consigné.

action-read = lire
action-export = exporter
action-create = créer
action-update = modifier
action-delete = supprimer
action-submit = soumettre
action-approve = approuver
action-agree = agréer
action-allocate = attribuer
action-administer = administrer

target-registry = le registre
target-document = un document
target-programme = un programme
target-council-decision = une décision du Conseil
target-users = les comptes d’utilisateur
target-own-account = ce compte
target-audit-trail = le journal d’audit
target-proposal = une proposition
target-activity = une activité du menu
target-policy = les politiques d’éligibilité
target-seats = les demandes de places d’une nation
target-meeting = une réunion
target-operation = les contributions à une opération
target-posting = les affectations d’officiers de liaison

state-unmanaged = sans cycle de vie
state-draft = brouillon
state-submitted = soumis
state-agreed = agréé
state-closed = clos

refusal-only-approver = Seul un approbateur peut { $action } { $target }.
refusal-only-staff = Seul le personnel de l’Alliance peut { $action } { $target }.
refusal-only-staff-or-delegates = Seuls le personnel de l’Alliance et les délégations des pays membres peuvent { $action } { $target }.
refusal-only-admin = Seul un administrateur peut { $action } { $target }.
refusal-only-concerned-nation = Seuls le personnel de l’Alliance et les agents de la nation concernée peuvent { $action } { $target }.
refusal-wrong-state = Vous ne pouvez pas { $action } { $target } à l’état « { $state } ».
refusal-would-not-see = Vous ne pouvez pas { $action } { $target } que vous ne seriez pas autorisé à lire.
refusal-audit-readers = Seuls les administrateurs et analystes de l’Alliance habilités RESTRICTED peuvent { $action } { $target }.
refusal-append-only = Nul ne peut { $action } { $target } : on ne fait qu’y ajouter.
refusal-own-proposal = Nul ne peut { $action } { $target } qu’il a faite lui-même : un autre approbateur doit le faire.

status-member = membre
status-partner = partenaire
status-dialogue = pays du dialogue
status-none = aucun statut
status-none-uncertain = aucun statut, incertain (une date dont dépend la réponse est imprécise ou attestée plus tard seulement)
member-of-the-alliance = Membre de l’Alliance
end-left = retrait
end-accession = adhésion à l’Alliance
end-suspended = suspension
end-replaced = remplacement

frameworks-heading = Cadres
frameworks-intro = Cadres et statuts de partenariat, et dialogue sans programme formel.
audit-chain-intact = La chaîne de hachage est intacte : { $count ->
    [one] { $count } événement vérifié.
   *[other] { $count } événements vérifiés.
}

# Pourquoi une valeur a été refusée, et les champs que ces messages nomment.
reason-required = est obligatoire
reason-not-an-email = « { $value } » n’est pas une adresse électronique
reason-account-disabled = le compte « { $value } » est désactivé
reason-too-short = doit compter au moins { $value } caractères
reason-not-current-password = n’est pas votre mot de passe actuel
reason-out-of-range = doit être compris entre { $min } et { $max }
reason-unknown-nation = nation inconnue « { $value } »
reason-unknown-framework = cadre inconnu « { $value } »
reason-unknown-role = rôle inconnu « { $value } »
reason-unknown-clearance = habilitation inconnue « { $value } »
reason-marking-classification = classification inconnue « { $value } » ; valeurs attendues : PUBLIC, UNCLASSIFIED ou RESTRICTED
reason-marking-releasability = mention de diffusion inconnue « { $value } » ; attendu : rien, « MEMBERS ONLY » ou « REL TO » suivi de codes
reason-marking-code = code inconnu « { $value } » dans REL TO : ni un cadre ni un code de nation ISO 3166-1 alpha-2
reason-marking-empty-rel-to = REL TO ne nomme aucun cadre ni aucune nation
reason-marking-public-restricted = un marquage PUBLIC est diffusable à tous et ne prend pas de restriction de diffusion
reason-code-nation = « { $value } » n’est pas un code de pays ISO 3166-1 alpha-2
reason-code = « { $value } » n’est pas un code valide : utilisez de 2 à 16 majuscules, chiffres ou tirets bas
reason-record-code = « { $value } » n’est pas un code valide : utilisez de 2 à 32 majuscules, chiffres, « - », « _ » ou « . »
reason-unreadable = est illisible
reason-control-character = contient un caractère de contrôle
reason-too-long = dépasse { $value } caractères
reason-not-a-date = « { $value } » n’est pas une date (AAAA-MM-JJ, AAAA-MM, AAAA ou « by AAAA-MM-JJ »)
reason-one-change = indiquez un seul changement : un début, une fin ou les deux noms
reason-inconsistent = rendrait le registre incohérent : { $value }
reason-not-one-of = « { $value } » n’est pas l’une des valeurs { $allowed }
reason-unknown-column = « { $value } » n’est pas une colonne de cette liste ({ $allowed })
reason-not-a-time = « { $value } » n’est ni un jour (AAAA-MM-JJ) ni une heure (RFC 3339)
reason-email-taken = un compte avec l’adresse « { $value } » existe déjà
reason-setup-closed = un compte existe déjà ; l’installation est close
reason-type-not-accepted = « { $value } » n’est pas d’un type accepté : PDF, documents bureautiques (docx, xlsx, pptx, odt, ods, odp, doc, xls, ppt) et images (png, jpg, gif)
reason-type-mismatch = « { $value } » ne contient pas ce que son extension annonce

input-email = Adresse électronique
input-display_name = Nom
input-password = Mot de passe
input-current_password = Mot de passe actuel
input-new_password = Nouveau mot de passe
input-name = Nom du jeton
input-days = Valable (jours)
input-title = Titre
input-marking = Marquage
input-owner = Nation à qui appartient le document
input-nations = Nations liées
input-frameworks = Cadres liés
input-form = Formulaire
input-file = Fichier
input-role = Rôle
input-clearance = Habilitation
input-affiliation = Rattachement
input-body = Requête

error-sign-in-first = Connectez-vous d’abord.
error-bad-token = Le jeton d’API est inconnu, révoqué ou expiré.
error-malformed-header = L’en-tête Authorization doit être « Bearer JETON ».
error-invalid-file = Le fichier présente { $count ->
    [one] { $count } problème
   *[other] { $count } problèmes
} ; rien n’a été modifié.
error-method-not-allowed = Cette adresse n’accepte pas ce type de requête.
error-request-too-large = La requête dépasse la taille que ce serveur accepte.
error-bad-request = La requête n’a pas pu être comprise : une partie de son adresse ou de son formulaire est mal formée.

date-invalid-shape = Date : « { $value } » n’est pas un jour. Écrivez-la AAAA-MM-JJ, par exemple 2008-01-01.
date-invalid-day = Date : « { $value } » n’est pas une date du calendrier. Écrivez-la AAAA-MM-JJ, par exemple 2008-01-01.
audit-broken-altered = La chaîne de hachage est rompue : l’événement { $seq } a été modifié ; son contenu ne correspond plus à son empreinte.
audit-broken-unlinked = La chaîne de hachage est rompue : l’événement { $seq } ne suit pas l’événement { $previous } ; un événement a été supprimé, inséré ou déplacé.
audit-broken-sequence = La chaîne de hachage est rompue : l’événement { $expected } était attendu, mais l’événement { $found } a été trouvé ; des événements ont été supprimés ou réordonnés.
audit-broken-truncated = La chaîne de hachage est rompue : le journal s’arrête à l’événement { $last }, mais sa tête enregistre l’événement { $head } ; des événements ont été supprimés à la fin.
affiliation-staff = personnel de l’Alliance
affiliation-nation = nation { $code }
affiliation-organisation = organisation { $code }
timeline-title = Chronologie de l’appartenance et des cadres, de { $from } à { $to }
date-first-day = 1er
