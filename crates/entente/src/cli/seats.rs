//! `entente request add`, `entente allocate --event|--year` and `entente budget set`: seat
//! requests and allocation at the command line, through the same services as the API,
//! acting as the machine's operator.

use super::{Failure, outln};
use crate::http::api::seats::{SeatRequestDto, request_dto};
use crate::service::Services;
use crate::service::accounts::Actor;
use crate::service::seats::RequestInput;
use crate::store::seats::StoredBudget;

fn print(rows: &[SeatRequestDto], json: bool) -> Result<(), Failure> {
    if json {
        outln!("{}", serde_json::to_string_pretty(rows)?);
        return Ok(());
    }
    outln!("{:<6} {:<20} {:<6} {:>5} {:>5} {:>3}  {}", "id", "event", "nation", "asked", "given", "pri", "answer");
    for r in rows {
        outln!(
            "{:<6} {:<20} {:<6} {:>5} {:>5} {:>3}  {}",
            r.id,
            r.event,
            r.nation,
            r.seats_requested,
            r.seats_allocated,
            r.priority,
            r.reason
        );
    }
    Ok(())
}

pub(super) async fn add_request(
    services: &Services,
    event: &str,
    input: RequestInput,
    json: bool,
) -> Result<(), Failure> {
    let registry = services.registry.snapshot().await?;
    let view = services.seats.request(&Actor::operator(), &registry, event, &input).await?;
    let dto = request_dto(view.request, &view.deadline);
    if json {
        outln!("{}", serde_json::to_string_pretty(&dto)?);
    } else {
        outln!("request {}: {}", dto.id, dto.reason);
    }
    Ok(())
}

pub(super) async fn allocate_event(services: &Services, event: &str, json: bool) -> Result<(), Failure> {
    let registry = services.registry.snapshot().await?;
    let answers = services.seats.allocate(&Actor::operator(), &registry, event).await?;
    let rows: Vec<SeatRequestDto> = answers.into_iter().map(|a| request_dto(a.request, &a.deadline)).collect();
    print(&rows, json)
}

pub(super) async fn allocate_year(services: &Services, year: i64, json: bool) -> Result<(), Failure> {
    let registry = services.registry.snapshot().await?;
    eprintln!("allocating every at_deadline event of {year} ...");
    let (answers, value) = services.seats.allocate_year(&Actor::operator(), &registry, year).await?;
    let rows: Vec<SeatRequestDto> = answers.into_iter().map(|a| request_dto(a.request, &a.deadline)).collect();
    print(&rows, json)?;
    let given: i64 = rows.iter().map(|r| r.seats_allocated).sum();
    eprintln!(
        "{year}: {} requests, {given} seats given, value {value} (seats weighted 3, 2, 1 by priority)",
        rows.len()
    );
    Ok(())
}

pub(super) async fn set_budget(services: &Services, budget: StoredBudget) -> Result<(), Failure> {
    services.seats.set_budget(&Actor::operator(), &budget).await?;
    let area = if budget.area.is_empty() { "every area".to_owned() } else { budget.area.clone() };
    outln!("{} {}: {} sponsored seats ({area})", budget.nation, budget.year, budget.seats);
    Ok(())
}

pub(super) async fn purge(services: &Services, days: u32) -> Result<(), Failure> {
    let purged = services.nominations.purge(&Actor::operator(), days).await?;
    outln!("purged the personal data of {purged} nomination(s) to events that ended more than {days} days ago");
    Ok(())
}
