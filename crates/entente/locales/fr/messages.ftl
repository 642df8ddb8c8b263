# Messages construits par l'application (erreurs, refus, titres faits dans le code).
language-name = Français
nav-languages = Langue

nations-found = { $count } trouvées.
nations-heading = Nations
nations-matching = Nations correspondant à « { $query } »

flash-token-revoked = Le jeton a été révoqué.
date-invalid = Date : { $reason }. Écrivez-la AAAA-MM-JJ, par exemple 2008-01-01.

error-not-found = Introuvable
error-not-found-detail = Il n'y a rien ici, ou ce n'est pas diffusable auprès de vous.
error-no-page = Il n'y a pas de page à cette adresse.
error-refused = Refusé
error-bad-csrf = Le jeton de sécurité du formulaire manque ou est erroné ; rechargez la page et recommencez.
error-read-only-token = Ce jeton d'API ne permet que la lecture.
error-throttled = Trop de connexions échouées ; attendez 15 minutes avant de réessayer.
error-wrong-credentials = Adresse électronique ou mot de passe erroné.
error-too-large = Le fichier dépasse la limite de { $limit } octets.
error-invalid = { $field } : { $reason }
error-internal-heading = Erreur interne
error-internal = Un incident s'est produit de notre côté ; il a été consigné.

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
target-users = les comptes d'utilisateur
target-own-account = ce compte
target-audit-trail = la piste d'audit

state-unmanaged = sans cycle de vie
state-draft = un projet
state-submitted = soumis
state-agreed = agréé
state-closed = clos

refusal-only-approver = Seul un approbateur peut { $action } { $target }.
refusal-only-staff = Seul le personnel de l'Alliance peut { $action } { $target }.
refusal-only-staff-or-delegates = Seuls le personnel de l'Alliance et les délégations des pays membres peuvent { $action } { $target }.
refusal-only-admin = Seul un administrateur peut { $action } { $target }.
refusal-only-concerned-nation = Seuls le personnel de l'Alliance et les officiers de la nation concernée peuvent { $action } { $target }.
refusal-wrong-state = Vous ne pouvez pas { $action } { $target } dans l'état « { $state } ».
refusal-would-not-see = Vous ne pouvez pas { $action } { $target } que vous ne seriez pas autorisé à lire.
refusal-audit-readers = Seuls les administrateurs et analystes de l'Alliance habilités RESTRICTED peuvent { $action } { $target }.
refusal-append-only = Nul ne peut { $action } { $target } : on ne fait qu'y ajouter.

status-member = membre
status-partner = partenaire
status-dialogue = pays du dialogue
status-none = aucun statut
member-of-the-alliance = Membre de l'Alliance
end-left = retrait
end-accession = adhésion à l'Alliance
end-suspended = suspension
end-replaced = remplacement

frameworks-heading = Cadres
frameworks-intro = Cadres et statuts de partenariat, et dialogue sans programme formel.
audit-chain-intact = La chaîne de hachage est intacte : { $count } événements vérifiés.
audit-chain-broken = La chaîne de hachage est rompue : { $reason }.

# Pourquoi une valeur a été refusée, et les champs que ces messages nomment.
reason-required = est obligatoire
reason-not-an-email = « { $value } » n’est pas une adresse électronique
reason-account-disabled = le compte « { $value } » est désactivé
reason-too-short = doit compter au moins { $value } caractères
reason-not-current-password = n’est pas votre mot de passe actuel
reason-out-of-range = doit être compris entre { $min } et { $max }
reason-unknown-nation = nation inconnue « { $value } »
reason-unknown-framework = cadre inconnu « { $value } »
reason-unknown-role = rôle inconnu « { $value } »
reason-unknown-clearance = habilitation inconnue « { $value } »
reason-marking-classification = classification inconnue « { $value } » : PUBLIC, UNCLASSIFIED ou RESTRICTED attendu
reason-marking-releasability = diffusion inconnue « { $value } » : rien, `MEMBERS ONLY` ou `REL TO` suivi de codes attendu
reason-marking-code = code inconnu « { $value } » dans REL TO : ni un cadre ni un code de nation ISO 3166-1 alpha-2
reason-marking-empty-rel-to = REL TO ne nomme aucun cadre ni aucune nation
reason-marking-public-restricted = un marquage PUBLIC est diffusable à tous et ne prend pas de restriction de diffusion
reason-code-nation = « { $value } » n’est pas un code de pays ISO 3166-1 alpha-2
reason-code = « { $value } » n’est pas un code valide : de 2 à 16 majuscules, chiffres ou tirets bas
reason-unreadable = illisible : { $value }
reason-email-taken = un compte avec l’adresse « { $value } » existe déjà
reason-setup-closed = un compte existe déjà ; l’installation est close
reason-type-not-accepted = « { $value } » n’est pas d’un type accepté : PDF, documents bureautiques (docx, xlsx, pptx, odt, ods, odp, doc, xls, ppt) et images (png, jpg, gif)
reason-type-mismatch = « { $value } » ne contient pas ce que son extension annonce

input-email = Adresse électronique
input-display_name = Nom
input-password = Mot de passe
input-current_password = Mot de passe actuel
input-new_password = Nouveau mot de passe
input-name = Nom
input-days = Durée de validité (jours)
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
error-malformed-header = L’en-tête Authorization doit être `Bearer JETON`.
error-invalid-file = Le fichier présente { $count } problème(s) ; rien n’a été modifié.
