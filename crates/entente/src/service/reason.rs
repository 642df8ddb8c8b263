//! Why a request was refused, as data: each interface puts it in its own words (the API
//! and the CLI in English through `Display`, the pages from their message catalogue).

use entente_core::{CodeError, MarkingError};

/// What is wrong with a value, a file or a request that conflicts with what exists.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Reason {
    /// The field is empty.
    #[error("is required")]
    Required,
    /// Not an email address.
    #[error("`{0}` is not an email address")]
    NotAnEmail(String),
    /// The account is disabled.
    #[error("the account `{0}` is disabled")]
    AccountDisabled(String),
    /// A password shorter than the minimum.
    #[error("must be at least {0} characters long")]
    TooShort(usize),
    /// The current password given is not the account's.
    #[error("is not your current password")]
    NotCurrentPassword,
    /// A number outside its range.
    #[error("must be from {min} to {max}")]
    OutOfRange {
        /// The smallest accepted.
        min: i64,
        /// The largest accepted.
        max: i64,
    },
    /// No nation has this code.
    #[error("unknown nation `{0}`")]
    UnknownNation(String),
    /// No framework has this code.
    #[error("unknown framework `{0}`")]
    UnknownFramework(String),
    /// No role has this code.
    #[error("unknown role `{0}`")]
    UnknownRole(String),
    /// No clearance has this name.
    #[error("unknown clearance `{0}`")]
    UnknownClearance(String),
    /// A marking that does not parse.
    #[error("{0}")]
    Marking(MarkingError),
    /// A code that does not parse.
    #[error("{0}")]
    Code(CodeError),
    /// A form or body that could not be read (the parser's words go to the log).
    #[error("could not be read")]
    Unreadable,
    /// Another account has this email.
    #[error("an account with the email `{0}` already exists")]
    EmailTaken(String),
    /// The first administrator exists already.
    #[error("an account already exists; setup is closed")]
    SetupClosed,
    /// A file whose extension is not accepted.
    #[error(
        "`{0}` is not an accepted type: PDF, office documents (docx, xlsx, pptx, odt, ods, odp, doc, xls, ppt) and images (png, jpg, gif)"
    )]
    TypeNotAccepted(String),
    /// A file whose bytes do not match its extension.
    #[error("`{0}` does not contain what its extension says")]
    TypeMismatch(String),
    /// Text with a NUL byte, or a control or bidirectional-override character where none
    /// belongs.
    #[error("contains a control character")]
    ControlCharacter,
    /// Not a day or a time.
    #[error("`{0}` is not a day (YYYY-MM-DD) or a time (RFC 3339)")]
    NotATime(String),
    /// Text longer than allowed.
    #[error("is longer than {0} characters")]
    TooLong(usize),
    /// Not a date the registry can hold.
    #[error("`{0}` is not a date (YYYY-MM-DD, YYYY-MM, YYYY, or `by YYYY-MM-DD`)")]
    NotADate(String),
    /// A proposal asks for no change, or for several at once.
    #[error("give one change: a start, an end, or both names")]
    OneChange,
    /// The change would make the registry inconsistent (the core's words).
    #[error("{0}")]
    Inconsistent(String),
    /// A value outside its list.
    #[error("`{0}` is not one of {1}")]
    NotOneOf(String, &'static str),
    /// The document is withdrawn: it is kept as it was.
    #[error("the document is withdrawn and can no longer be changed")]
    Withdrawn,
    /// Registration closed on this day.
    #[error("registration closed on {0}")]
    DeadlinePassed(String),
    /// The event is not taking requests (its status).
    #[error("the event is {0} and takes no requests")]
    NotTakingRequests(String),
    /// The nation may not take part on the event's dates (the reasons, in the core's words).
    #[error("{0} may not take part in this event on its dates: {1}")]
    NotEligible(String, String),
    /// More seats than one nation may have.
    #[error("is more than the quota of {0} seats per nation")]
    AboveQuota(i64),
    /// The person is already nominated to the event.
    #[error("`{0}` is already nominated to this event")]
    AlreadyNominated(String),
    /// Every seat of the request has a participant.
    #[error("all {0} seats of the request are named; ask for more seats first")]
    SeatsAllNamed(i64),
    /// The request is cancelled.
    #[error("the request is cancelled")]
    RequestCancelled,
    /// A record the caller could not then read.
    #[error("`{0}` would not be released to you: you could not read what you save")]
    WouldNotRead(String),
    /// The event has not started yet.
    #[error("the event starts on {0}: feedback comes after")]
    EventNotStarted(String),
    /// The caller's nation had no seat on the event.
    #[error("only a nation given seats on the event files a participant's feedback")]
    NotAParticipant,
    /// Not a whole number.
    #[error("`{0}` is not a whole number")]
    NotANumber(String),
    /// A programme with this code exists.
    #[error("a programme {0} exists already: amend it instead")]
    ProgrammeExists(String),
    /// Not a partner on the day.
    #[error("{0} is not a partner on {1}: programmes are for partners")]
    NotAPartner(String, String),
    /// Fewer seats than already given.
    #[error("{0} seats are given already: the capacity cannot be less")]
    BelowSeatsGiven(i64),
    /// The event gives seats as requests come.
    #[error("the event gives seats as requests come (first_come): there is nothing to allocate")]
    NotAtDeadline,
    /// A participant rule that does not parse or names what is not on record.
    #[error("at position {0}: {1}")]
    BadRule(usize, String),
    /// No operation has this code.
    #[error("unknown operation `{0}`")]
    UnknownOperation(String),
    /// Dates outside the operation's period (the core's words).
    #[error("is outside the operation: {0}")]
    OutsideOperation(String),
    /// An offer above the requirement's remaining need and margin.
    #[error("{offered} offered, but only {remaining} still needed (at most {allowed} with the margin)")]
    OfferTooLarge {
        /// The offer.
        offered: i64,
        /// Still needed.
        remaining: i64,
        /// The most accepted.
        allowed: i64,
    },
    /// A contribution status that does not follow from the present one.
    #[error("a {0} contribution cannot become {1}")]
    ContributionStep(String, String),
    /// A non-member's contribution needs the council's decision to be accepted.
    #[error("a non-member's contribution is accepted only with the council's decision: give its number")]
    NeedsCouncilDecision,
    /// The decision given does not accept this nation's contribution to this operation.
    #[error("council decision {0} does not accept {1}'s contribution to {2}")]
    DecisionDoesNotCover(i64, String, String),
    /// An end before its start.
    #[error("ends ({1}) before it starts ({0})")]
    EndsBeforeStart(String, String),
    /// An action item's owner that is neither a participant nor an account.
    #[error("`{0}` is neither a participant's code nor an account's email")]
    UnknownOwner(String),
    /// Not an IANA time zone.
    #[error("`{0}` is not a time zone (such as Europe/Brussels)")]
    UnknownTimeZone(String),
    /// A record loaded from the reference dataset, kept as its sources give it.
    #[error("is a historical record from the reference dataset, kept as its sources give it")]
    HistoricalRecord,
    /// A column that cannot be sorted or filtered by.
    #[error("`{0}` is not a column of this list: {1}")]
    UnknownColumn(String, String),
    /// An indicator's target date not after its baseline date.
    #[error("{1} is not after the baseline date {0}")]
    TargetBeforeBaseline(String, String),
    /// A milestone's value other than 0 or 1.
    #[error("a milestone is 0 (not done) or 1 (done), not {0}")]
    NotAMilestoneValue(String),
    /// A target no better than the baseline in the indicator's direction.
    #[error("{target} is not {better} than the baseline {baseline}")]
    TargetNotBetter {
        /// The baseline.
        baseline: String,
        /// The target.
        target: String,
        /// `higher` or `lower`.
        better: String,
    },
    /// A measurement dated outside its indicator's period.
    #[error("{0} is outside the indicator's period, {1} to {2}")]
    OutsideIndicatorPeriod(String, String, String),
    /// A review step that does not apply in the review's state.
    #[error("a review that is {0} cannot be given the step `{1}`")]
    ReviewStep(String, String),
    /// A part of a review written by others.
    #[error("the {0} is written by {1}")]
    NotYourPart(String, String),
    /// An evaluation step out of order.
    #[error("{0} comes after {1} is passed")]
    StepOutOfOrder(String, String),
    /// An evaluation step dated before the previous one.
    #[error("{0} is before {1}, the previous step or the declaration")]
    StepBeforePrevious(String, String),
    /// A revalidation of a unit never certified.
    #[error("REVAL renews a certification; the unit has none")]
    NotCertified,
    /// A PARP goal's code the nation has already.
    #[error("the nation has a PARP goal `{0}` already")]
    ParpGoalExists(String),
    /// A correction asked of a review that is not approved, or already corrected.
    #[error("only the current approved version of a review is corrected")]
    NotCorrectable,
}
