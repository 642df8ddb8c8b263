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
