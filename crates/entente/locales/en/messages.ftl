# Messages built by the application (errors, refusals, headings made in code).
language-name = English
nav-languages = Language

nations-found = { $count ->
    [one] One nation found.
   *[other] { $count } nations found.
}
nations-heading = Nations
nations-matching = Nations matching “{ $query }”

flash-token-revoked = The token was revoked.

error-not-found = Not found
error-not-found-detail = There is nothing here, or it is not released to you.
error-no-page = There is no page at this address.
error-refused = Refused
error-bad-csrf = The form's security token is missing or wrong; reload the page and try again.
error-read-only-token = This API token is read-only.
error-throttled = Too many failed sign-ins; try again in { $seconds } seconds.
error-busy = The server is busy; try again in a moment.
error-session-required = Passwords and tokens are managed after signing in, not with an API token.
error-wrong-credentials = Wrong email or password.
error-too-large = The file is larger than the limit of { $limit } bytes.
error-invalid = { $field }: { $reason }
error-internal-heading = Internal error
error-internal = Something went wrong on our side; it has been logged.

action-read = read
action-export = export
action-create = create
action-update = change
action-delete = delete
action-submit = submit
action-approve = approve
action-agree = agree
action-allocate = allocate
action-administer = administer

target-registry = the registry
target-document = a document
target-programme = a programme
target-council-decision = a council decision
target-users = user accounts
target-own-account = this account
target-audit-trail = the audit trail
target-proposal = a proposal
target-activity = a menu activity
target-policy = the eligibility policies
target-seats = a nation's seat requests
target-meeting = a meeting
target-operation = an operation's contributions
target-posting = liaison postings

state-unmanaged = unmanaged
state-draft = a draft
state-submitted = submitted
state-agreed = agreed
state-closed = closed

refusal-only-approver = Only an approver may { $action } { $target }.
refusal-only-staff = Only the alliance's staff may { $action } { $target }.
refusal-only-staff-or-delegates = Only the alliance's staff and member delegations may { $action } { $target }.
refusal-only-admin = Only an administrator may { $action } { $target }.
refusal-only-concerned-nation = Only the alliance's staff and the officers of the nation it concerns may { $action } { $target }.
refusal-wrong-state = You may not { $action } { $target } that is { $state }.
refusal-would-not-see = You may not { $action } { $target } that you would not be allowed to read.
refusal-audit-readers = Only the alliance's administrators and analysts cleared RESTRICTED may { $action } { $target }.
refusal-append-only = Nobody may { $action } { $target }: it is only ever appended to.
refusal-own-proposal = Nobody may { $action } { $target } they made themselves: another approver must.

status-member = member
status-partner = partner
status-dialogue = dialogue country
status-none = no status
status-none-uncertain = no status, uncertain (a date the answer rests on is imprecise or only attested later)
member-of-the-alliance = Member of the alliance
end-left = left
end-accession = joined the alliance
end-suspended = suspended
end-replaced = replaced

frameworks-heading = Frameworks
frameworks-intro = Partnership frameworks and statuses, and dialogue without a formal programme.
audit-chain-intact = The hash chain is intact: { $count ->
    [one] one event verified.
   *[other] { $count } events verified.
}

# Why a value was refused, and the fields named in such messages.
reason-required = is required
reason-not-an-email = `{ $value }` is not an email address
reason-account-disabled = the account `{ $value }` is disabled
reason-too-short = must be at least { $value } characters long
reason-not-current-password = is not your current password
reason-out-of-range = must be from { $min } to { $max }
reason-unknown-nation = unknown nation `{ $value }`
reason-unknown-framework = unknown framework `{ $value }`
reason-unknown-role = unknown role `{ $value }`
reason-unknown-clearance = unknown clearance `{ $value }`
reason-marking-classification = unknown classification `{ $value }`: expected PUBLIC, UNCLASSIFIED or RESTRICTED
reason-marking-releasability = unknown releasability `{ $value }`: expected nothing, `MEMBERS ONLY` or `REL TO` followed by codes
reason-marking-code = unknown code `{ $value }` in REL TO: not a framework nor an ISO 3166-1 alpha-2 nation code
reason-marking-empty-rel-to = REL TO names no framework or nation
reason-marking-public-restricted = a PUBLIC marking is releasable to all and takes no releasability
reason-code-nation = `{ $value }` is not an ISO 3166-1 alpha-2 country code
reason-code = `{ $value }` is not a valid code: use 2 to 16 capital letters, digits or underscores
reason-record-code = `{ $value }` is not a valid code: use 2 to 32 capital letters, digits, `-`, `_` or `.`
reason-unreadable = could not be read
reason-control-character = contains a control character
reason-too-long = is longer than { $value } characters
reason-not-a-date = `{ $value }` is not a date (YYYY-MM-DD, YYYY-MM, YYYY, or “by YYYY-MM-DD”)
reason-one-change = give one change: a start, an end, or both names
reason-inconsistent = would make the registry inconsistent: { $value }
reason-not-one-of = `{ $value }` is not one of { $allowed }
reason-unknown-column = `{ $value }` is not a column of this list ({ $allowed })
reason-not-a-time = `{ $value }` is not a day (YYYY-MM-DD) or a time (RFC 3339)
reason-email-taken = an account with the email `{ $value }` already exists
reason-setup-closed = an account already exists; setup is closed
reason-type-not-accepted = `{ $value }` is not an accepted type: PDF, office documents (docx, xlsx, pptx, odt, ods, odp, doc, xls, ppt) and images (png, jpg, gif)
reason-type-mismatch = `{ $value }` does not contain what its extension says

input-email = Email
input-display_name = Name
input-password = Password
input-current_password = Current password
input-new_password = New password
input-name = Token name
input-days = Valid for (days)
input-title = Title
input-marking = Marking
input-owner = Nation whose document it is
input-nations = Linked nations
input-frameworks = Linked frameworks
input-form = Form
input-file = File
input-role = Role
input-clearance = Clearance
input-affiliation = Affiliation
input-body = Request

error-sign-in-first = Sign in first.
error-bad-token = The API token is unknown, revoked or expired.
error-malformed-header = The Authorization header must be `Bearer TOKEN`.
error-invalid-file = The file has { $count ->
    [one] one problem
   *[other] { $count } problems
}; nothing was changed.
error-method-not-allowed = This address does not take that kind of request.
error-request-too-large = The request is larger than this server accepts.
error-bad-request = The request could not be understood: a part of its address or of its form is malformed.

date-invalid-shape = Date: `{ $value }` is not a day. Write it as YYYY-MM-DD, for example 2008-01-01.
date-invalid-day = Date: `{ $value }` is not a real calendar date. Write it as YYYY-MM-DD, for example 2008-01-01.
audit-broken-altered = The hash chain is broken: event { $seq } was altered; its contents do not match its hash.
audit-broken-unlinked = The hash chain is broken: event { $seq } does not follow event { $previous }; an event was removed, inserted or moved.
audit-broken-sequence = The hash chain is broken: event { $expected } was expected but event { $found } was found; events were removed or reordered.
audit-broken-truncated = The hash chain is broken: the trail ends at event { $last } but its head records event { $head }; events were removed from the end.
affiliation-staff = alliance staff
affiliation-nation = nation { $code }
affiliation-organisation = organisation { $code }
timeline-title = Timeline of membership and frameworks, { $from } to { $to }
date-first-day = 1
