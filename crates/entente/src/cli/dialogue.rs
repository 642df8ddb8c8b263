//! `entente rule`, `entente operation` and `entente meeting`: participant rules, operations
//! and meetings at the command line, through the same services as the API. Reads act as
//! the machine's operator; changes act for the account named by `--as`.

use chrono::NaiveDate;
use clap::Subcommand;

use super::proposals::acting_as;
use super::{Failure, outln};
use crate::http::api::meetings::{detail as meeting_detail, dto as meeting_dto};
use crate::http::api::operations::{contribution_dto, detail as operation_detail};
use crate::service::Services;
use crate::service::accounts::Actor;
use crate::service::meetings::{ActionInput, MeetingInput};
use crate::service::operations::{ContributionInput, PostingInput, RequirementInput};

/// `entente rule ...`.
#[derive(Debug, Subcommand)]
pub(super) enum RuleCommand {
    /// Resolves a participant rule on a day: the participants' codes, sorted.
    Resolve {
        /// The rule, such as `members + framework:MD`.
        rule: String,
        /// The day, YYYY-MM-DD (default today).
        #[arg(long)]
        at: Option<String>,
        /// `text` for people, `json` (an array of codes) for scripts.
        #[arg(long, default_value = "text", value_parser = ["text", "json"])]
        format: String,
    },
}

/// `entente operation ...`.
#[derive(Debug, Subcommand)]
pub(super) enum OperationCommand {
    /// Lists the operations.
    List {
        /// `table` for people, `json` for scripts.
        #[arg(long, default_value = "table", value_parser = ["table", "json"])]
        format: String,
    },
    /// Prints an operation with its contributions, requirements and fill rates, as JSON.
    Show {
        /// The operation's code, such as KFOR.
        code: String,
    },
    /// The contributions in force on a day: accepted and dated over it.
    Contributors {
        /// The operation's code.
        code: String,
        /// The day, YYYY-MM-DD (default today).
        #[arg(long)]
        at: Option<String>,
        /// `table` for people, `json` for scripts.
        #[arg(long, default_value = "table", value_parser = ["table", "json"])]
        format: String,
    },
    /// Offers a contribution.
    Contribute {
        /// The operation's code.
        code: String,
        /// The account acting (staff, or an officer of the nation).
        #[arg(long = "as", value_name = "EMAIL")]
        as_email: String,
        /// The contributing nation.
        #[arg(long)]
        nation: String,
        /// troops, assets, funding, medical, liaison or other.
        #[arg(long)]
        kind: String,
        /// Size.
        #[arg(long)]
        size: Option<i64>,
        /// First day, YYYY-MM-DD.
        #[arg(long)]
        starts: String,
        /// First day no longer in force, YYYY-MM-DD.
        #[arg(long, default_value = "")]
        ends: String,
        /// The requirement it answers.
        #[arg(long)]
        requirement: Option<i64>,
        /// A remark.
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Moves a contribution on: accepted (a non-member's with --decision), deployed, withdrawn.
    Status {
        /// The contribution's number.
        id: i64,
        /// The account acting.
        #[arg(long = "as", value_name = "EMAIL")]
        as_email: String,
        /// The new status.
        #[arg(long)]
        to: String,
        /// The council decision accepting it.
        #[arg(long)]
        decision: Option<i64>,
    },
    /// Adds a force requirement.
    Require {
        /// The operation's code.
        code: String,
        /// The account acting (staff).
        #[arg(long = "as", value_name = "EMAIL")]
        as_email: String,
        /// The capability.
        #[arg(long)]
        capability: String,
        /// How many.
        #[arg(long)]
        quantity: i64,
        /// First day, YYYY-MM-DD.
        #[arg(long)]
        starts: String,
        /// First day no longer needed.
        #[arg(long, default_value = "")]
        ends: String,
    },
    /// Posts a liaison officer to a headquarters.
    Post {
        /// The account acting (staff).
        #[arg(long = "as", value_name = "EMAIL")]
        as_email: String,
        /// The officer's nation.
        #[arg(long)]
        nation: String,
        /// The officer's name.
        #[arg(long)]
        officer: String,
        /// The headquarters.
        #[arg(long)]
        headquarters: String,
        /// The operation served.
        #[arg(long, default_value = "")]
        operation: String,
        /// First day, YYYY-MM-DD.
        #[arg(long)]
        starts: String,
        /// First day no longer posted.
        #[arg(long, default_value = "")]
        ends: String,
    },
    /// Who is posted where on a day.
    Posted {
        /// One nation's officers.
        #[arg(long)]
        nation: Option<String>,
        /// The day, YYYY-MM-DD (default today).
        #[arg(long)]
        at: Option<String>,
    },
}

/// `entente meeting ...`.
#[derive(Debug, Subcommand)]
pub(super) enum MeetingCommand {
    /// Lists meetings, newest first.
    List {
        /// `table` for people, `json` for scripts.
        #[arg(long, default_value = "table", value_parser = ["table", "json"])]
        format: String,
    },
    /// Prints a meeting with its participants, agenda, outcomes and action items, as JSON.
    Show {
        /// The meeting's number.
        id: i64,
    },
    /// Organises a meeting; its participants are resolved from the rule and names.
    Create {
        /// The account acting (staff).
        #[arg(long = "as", value_name = "EMAIL")]
        as_email: String,
        /// Title.
        #[arg(long)]
        title: String,
        /// bilateral, framework, flexible, council or consultation.
        #[arg(long)]
        format: String,
        /// working, ambassadors, ministers or heads_of_state.
        #[arg(long, default_value = "working")]
        level: String,
        /// Local start: YYYY-MM-DD or YYYY-MM-DDTHH:MM.
        #[arg(long)]
        starts: String,
        /// Local end.
        #[arg(long, default_value = "")]
        ends: String,
        /// IANA time zone of the place.
        #[arg(long, default_value = "Europe/Brussels")]
        time_zone: String,
        /// Place.
        #[arg(long, default_value = "")]
        place: String,
        /// Chair.
        #[arg(long, default_value = "")]
        chair: String,
        /// Participant rule.
        #[arg(long, default_value = "")]
        rule: String,
        /// Participants by name: codes separated by commas.
        #[arg(long, default_value = "")]
        names: String,
        /// Marking.
        #[arg(long, default_value = "")]
        marking: String,
    },
    /// Adds an agenda item.
    Agenda {
        /// The meeting's number.
        id: i64,
        /// The account acting.
        #[arg(long = "as", value_name = "EMAIL")]
        as_email: String,
        /// The item.
        #[arg(long)]
        text: String,
    },
    /// Adds an outcome.
    Outcome {
        /// The meeting's number.
        id: i64,
        /// The account acting.
        #[arg(long = "as", value_name = "EMAIL")]
        as_email: String,
        /// The outcome.
        #[arg(long)]
        text: String,
    },
    /// Adds an action item.
    Action {
        /// The meeting's number.
        id: i64,
        /// The account acting.
        #[arg(long = "as", value_name = "EMAIL")]
        as_email: String,
        /// What is to be done.
        #[arg(long)]
        title: String,
        /// A participant's code or an account's email.
        #[arg(long)]
        owner: String,
        /// Due day, YYYY-MM-DD.
        #[arg(long)]
        due: String,
    },
}

fn day_arg(services: &Services, at: Option<&str>) -> Result<NaiveDate, Failure> {
    match at {
        None => Ok(services.db.clock().today()),
        Some(text) => entente_core::parse_day(text.trim())
            .map_err(|_| anyhow::anyhow!("--at: `{text}` is not a day written YYYY-MM-DD").into()),
    }
}

pub(super) async fn rule(services: &Services, command: RuleCommand) -> Result<(), Failure> {
    let RuleCommand::Resolve { rule, at, format } = command;
    let at = day_arg(services, at.as_deref())?;
    let registry = services.registry.snapshot().await?;
    let (_, parties) = services.meetings.resolve_rule(&registry, &rule, at).await?;
    let codes: Vec<&str> = parties.iter().map(|p| p.code()).collect();
    if format == "json" {
        outln!("{}", serde_json::to_string(&codes)?);
    } else {
        outln!("{} participant(s) on {at}", codes.len());
        for code in codes {
            outln!("{code}");
        }
    }
    Ok(())
}

pub(super) async fn operation(services: &Services, command: OperationCommand) -> Result<(), Failure> {
    let registry = services.registry.snapshot().await?;
    let operator = Actor::operator();
    let ops = &services.operations;
    match command {
        OperationCommand::List { format } => {
            let list = ops.list(&operator).await?;
            if format == "json" {
                let codes: Vec<_> = list.iter().map(|o| serde_json::json!({"code": o.code, "name": o.name, "starts": o.starts, "ends": o.ends, "phase": o.phase})).collect();
                outln!("{}", serde_json::to_string_pretty(&codes)?);
            } else {
                for o in list {
                    outln!(
                        "{:<16} {:<12} {:<12} {}",
                        o.code,
                        o.starts,
                        if o.ends.is_empty() { "-" } else { &o.ends },
                        o.name
                    );
                }
            }
        }
        OperationCommand::Show { code } => {
            let view = ops.get(&operator, &code.to_ascii_uppercase()).await?;
            outln!("{}", serde_json::to_string_pretty(&operation_detail(view))?);
        }
        OperationCommand::Contributors { code, at, format } => {
            let at = day_arg(services, at.as_deref())?;
            let list = ops.contributors(&operator, &code.to_ascii_uppercase(), at).await?;
            if format == "json" {
                let rows: Vec<_> = list.into_iter().map(contribution_dto).collect();
                outln!("{}", serde_json::to_string_pretty(&rows)?);
            } else {
                outln!("{} contribution(s) to {} on {at}", list.len(), code.to_ascii_uppercase());
                for c in list {
                    let assumed = if c.dates_assumed { " (dated with the operation)" } else { "" };
                    outln!(
                        "{:<3} {:<8} {:<9} {} to {}{assumed}",
                        c.nation,
                        c.kind,
                        c.status,
                        c.starts,
                        if c.ends.is_empty() { "-" } else { &c.ends }
                    );
                }
            }
        }
        OperationCommand::Contribute { code, as_email, nation, kind, size, starts, ends, requirement, note } => {
            let actor = acting_as(services, &as_email).await?;
            let input = ContributionInput { nation, kind, size, starts, ends, requirement, note };
            let c = ops.contribute(&actor, &registry, &code.to_ascii_uppercase(), &input).await?;
            outln!("contribution {} of {} to {}: {}", c.id, c.nation, c.operation, c.status);
        }
        OperationCommand::Status { id, as_email, to, decision } => {
            let actor = acting_as(services, &as_email).await?;
            let c = ops.step(&actor, &registry, id, &to, decision).await?;
            outln!("contribution {} of {} to {}: {}", c.id, c.nation, c.operation, c.status);
        }
        OperationCommand::Require { code, as_email, capability, quantity, starts, ends } => {
            let actor = acting_as(services, &as_email).await?;
            let input = RequirementInput { capability, quantity, starts, ends };
            let r = ops.add_requirement(&actor, &code.to_ascii_uppercase(), &input).await?;
            outln!("requirement {} of {}: {} x {}", r.id, r.operation, r.quantity, r.capability);
        }
        OperationCommand::Post { as_email, nation, officer, headquarters, operation, starts, ends } => {
            let actor = acting_as(services, &as_email).await?;
            let input = PostingInput { nation, officer, headquarters, operation, starts, ends };
            let p = ops.post(&actor, &registry, &input).await?;
            outln!("posting {}: {} of {} at {} from {}", p.id, p.officer, p.nation, p.headquarters, p.starts);
        }
        OperationCommand::Posted { nation, at } => {
            let at = day_arg(services, at.as_deref())?;
            let nation = match nation {
                Some(code) => Some(crate::service::menu::nation_field(&registry, "nation", &code)?),
                None => None,
            };
            for p in ops.posted_on(&operator, nation, at).await? {
                outln!("{:<3} {:<30} {}", p.nation, p.officer, p.headquarters);
            }
        }
    }
    Ok(())
}

pub(super) async fn meeting(services: &Services, command: MeetingCommand) -> Result<(), Failure> {
    let registry = services.registry.snapshot().await?;
    let meetings = &services.meetings;
    match command {
        MeetingCommand::List { format } => {
            let page = meetings.list(&Actor::operator(), &registry, None, None).await?;
            if format == "json" {
                let rows: Vec<_> = page.items.into_iter().map(meeting_dto).collect();
                outln!("{}", serde_json::to_string_pretty(&rows)?);
            } else {
                for m in page.items {
                    outln!("{:<5} {:<16} {:<12} {}", m.id, m.starts, m.format, m.title);
                }
            }
        }
        MeetingCommand::Show { id } => {
            let view = meetings.get(&Actor::operator(), &registry, id).await?;
            outln!("{}", serde_json::to_string_pretty(&meeting_detail(view))?);
        }
        MeetingCommand::Create {
            as_email,
            title,
            format,
            level,
            starts,
            ends,
            time_zone,
            place,
            chair,
            rule,
            names,
            marking,
        } => {
            let actor = acting_as(services, &as_email).await?;
            let input =
                MeetingInput { title, format, level, starts, ends, time_zone, place, chair, rule, names, marking };
            let m = meetings.create(&actor, &registry, &input).await?;
            let view = meetings.get(&actor, &registry, m.id).await?;
            outln!("meeting {}: {} participant(s) on {}", m.id, view.participants.len(), m.resolved_on);
        }
        MeetingCommand::Agenda { id, as_email, text } => {
            let actor = acting_as(services, &as_email).await?;
            meetings.add_entry(&actor, &registry, id, "agenda", &text).await?;
            outln!("agenda item added to meeting {id}");
        }
        MeetingCommand::Outcome { id, as_email, text } => {
            let actor = acting_as(services, &as_email).await?;
            meetings.add_entry(&actor, &registry, id, "outcome", &text).await?;
            outln!("outcome added to meeting {id}");
        }
        MeetingCommand::Action { id, as_email, title, owner, due } => {
            let actor = acting_as(services, &as_email).await?;
            let a = meetings.add_action(&actor, &registry, id, &ActionInput { title, owner, due }).await?;
            outln!("action item {} of meeting {id}, due {}", a.id, a.due);
        }
    }
    Ok(())
}
