//! The `entente` binary, run as a user would, in a fresh working directory.

use std::path::Path;
use std::process::{Command, Output};

fn entente(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_entente"))
        .args(args)
        .current_dir(dir)
        .env_remove("ENTENTE_DATABASE_URL")
        .output()
        .expect("the entente binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn status_as_json_lists_every_nation_with_a_status() {
    let dir = tempfile::tempdir().unwrap();
    let output = entente(dir.path(), &["status", "--at", "2024-03-07", "--format", "json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(rows.iter().filter(|r| r["status"] == "member").count(), 32);
    let sweden = rows.iter().find(|r| r["nation"] == "SE").unwrap();
    assert_eq!(sweden["status"], "member");
    assert!(dir.path().join("entente.db").exists(), "the default database is entente.db in the working directory");

    let output = entente(dir.path(), &["status", "--at", "2020-01-01", "--framework", "PFP", "--format", "csv"]);
    let text = stdout(&output);
    assert!(text.lines().any(|l| l.starts_with("SE,Sweden,partner,") && l.contains("PFP")), "{text}");
    assert!(!text.contains("NO,Norway"), "only PFP participants");
}

#[test]
fn a_nation_timeline_reads_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let output = entente(dir.path(), &["nation", "MT"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.starts_with("Malta (MT) / Malte"), "{text}");
    assert!(text.contains("26 Apr 1995 – 27 Oct 1996 [left]"), "{text}");
    assert!(text.contains("3 Apr 2008 – present"), "{text}");
    let missing = entente(dir.path(), &["nation", "XX"]);
    assert!(!missing.status.success());
    assert!(stderr(&missing).contains("no nation `XX`"), "{}", stderr(&missing));
}

#[test]
fn a_bad_date_is_refused_with_the_flag_named() {
    let dir = tempfile::tempdir().unwrap();
    let output = entente(dir.path(), &["status", "--at", "yesterday"]);
    assert!(!output.status.success());
    assert!(stderr(&output).contains("--at: `yesterday` is not a date"), "{}", stderr(&output));
}

#[test]
fn export_then_import_round_trips_and_a_bad_import_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let export = entente(dir.path(), &["export", "registry", "--format", "json", "--output", "registry.json"]);
    assert!(export.status.success(), "{}", stderr(&export));
    let import = entente(dir.path(), &["import", "registry", "registry.json"]);
    assert!(import.status.success(), "{}", stderr(&import));
    assert!(stdout(&import).contains("80 nations"), "{}", stdout(&import));

    let csv = entente(dir.path(), &["export", "registry", "--format", "csv"]);
    let mut bad = stdout(&csv);
    bad.push_str("participation,SE,PFP,,,,2001-02-30,,,,made up\n");
    bad.push_str("membership,QQ,,,,,2001,,,,made up\n");
    std::fs::write(dir.path().join("bad.csv"), &bad).unwrap();
    let lines = bad.lines().count();
    let refused = entente(dir.path(), &["import", "registry", "bad.csv"]);
    assert!(!refused.status.success());
    let report = stderr(&refused);
    assert!(report.contains("2 problem(s); nothing was imported"), "{report}");
    assert!(
        report.contains(&format!("line {}, column `start`: `2001-02-30` is not a real calendar date", lines - 1)),
        "{report}"
    );
    assert!(
        report.contains(&format!("line {lines}, column `code`: `QQ` is not an ISO 3166-1 alpha-2 country code")),
        "{report}"
    );
    let after = entente(dir.path(), &["export", "registry", "--format", "csv"]);
    assert_eq!(stdout(&after), stdout(&csv), "the registry is unchanged");
}

#[test]
fn a_foreign_database_stops_the_server_with_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("entente.db"), b"not a database at all, just some text that happens to be here")
        .unwrap();
    let output = entente(dir.path(), &["serve", "--listen", "127.0.0.1:0"]);
    assert!(!output.status.success());
    assert!(stderr(&output).contains("is not a SQLite database; it was left untouched"), "{}", stderr(&output));
}

#[test]
fn a_reader_that_goes_away_ends_the_command_quietly() {
    let dir = tempfile::tempdir().unwrap();
    // `entente status --at 2020-01-01 | head -1`: the reader goes away (here before the
    // first line, which the opening of the database leaves time for).
    let mut child = Command::new(env!("CARGO_BIN_EXE_entente"))
        .args(["status", "--at", "2020-01-01"])
        .current_dir(dir.path())
        .env_remove("ENTENTE_DATABASE_URL")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0), "exit 0, not a panic: {}", stderr(&output));
    assert!(!stderr(&output).contains("panicked"), "{}", stderr(&output));
}

#[test]
fn completions_and_the_user_list_for_scripts() {
    let dir = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish"] {
        let output = entente(dir.path(), &["completions", shell]);
        assert!(output.status.success(), "{shell}: {}", stderr(&output));
        assert!(stdout(&output).contains("audit"), "{shell} completes the subcommands");
    }
    let output = entente(dir.path(), &["user", "list", "--format", "json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let users: Vec<serde_json::Value> = serde_json::from_slice(&output.stdout).unwrap();
    assert!(users.is_empty(), "no account yet");
}

/// `--listen` takes a bare port (on the loopback); a busy port names the address and says
/// how to choose another, and the process exits at once.
#[test]
fn a_busy_port_is_named_with_the_way_out() {
    let dir = tempfile::tempdir().unwrap();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let output = entente(dir.path(), &["serve", "--listen", &port]);
    let text = stderr(&output);
    assert!(!output.status.success());
    assert!(text.contains(&format!("cannot listen on 127.0.0.1:{port}")), "{text}");
    assert!(text.contains("another program is already listening") && text.contains("--listen"), "{text}");
    let output = entente(dir.path(), &["serve", "--listen", &format!("localhost:{port}")]);
    assert!(stderr(&output).contains(&format!("127.0.0.1:{port}")), "localhost:PORT is the loopback");
    let output = entente(dir.path(), &["serve", "--listen", "here"]);
    assert!(stderr(&output).contains("`here` is not an address"), "{}", stderr(&output));
}

/// `entente serve` writes one access line per request at the default level, and flushes
/// it when stopped.
#[test]
fn the_server_logs_each_request() {
    use std::io::{BufRead, Read, Write};
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_entente"))
        .args(["serve", "--listen", &port.to_string()])
        .current_dir(dir.path())
        .env_remove("ENTENTE_DATABASE_URL")
        .env_remove("ENTENTE_LOG")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    assert!(lines.any(|l| l.unwrap().starts_with("Entente is serving")), "the server started");
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.write_all(b"GET /nations/SE HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    let output = child.wait_with_output().unwrap();
    let log = stderr(&output);
    let access: Vec<&str> = log.lines().filter(|l| l.contains("entente::access")).collect();
    assert_eq!(access.len(), 1, "{log}");
    assert!(access[0].contains("path=/nations/SE") && access[0].contains("status=200"), "{log}");
    assert!(!log.contains('\u{1b}'), "no colour codes when standard error is not a terminal");
}

/// The seat contract at the command line: `request add` answers each request, `allocate
/// --event --format json` gives one object per request with the contract's keys, and a
/// refused request names its reason and changes nothing.
#[test]
fn seats_are_requested_and_allocated_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let year = crate::seats::next_year();
    let menu = format!(
        "code,year,title_en,title_fr,area,kind,provider,open_to,marking,description_en,description_fr\n\
         CLI-1,{year},Staff course,Cours d'état-major,CYBER,course,,PARTNERS,PUBLIC,,\n"
    );
    std::fs::write(dir.path().join("menu.csv"), menu).unwrap();
    let events = format!(
        "code,activity,start,end,time_zone,place,capacity,quota,deadline,mode\n\
         CLI-1-1,CLI-1,{year}-04-06,{year}-04-10,Europe/Rome,Rome,2,,{year}-03-01,at_deadline\n"
    );
    std::fs::write(dir.path().join("events.csv"), events).unwrap();
    for args in [["menu", "import", "menu.csv"], ["events", "import", "events.csv"]] {
        let output = entente(dir.path(), &args);
        assert!(output.status.success(), "{args:?}: {}", stderr(&output));
    }
    for (nation, seats, priority) in [("GE", "2", "2"), ("UA", "1", "1"), ("MD", "1", "2")] {
        let args =
            ["request", "add", "--event", "CLI-1-1", "--nation", nation, "--seats", seats, "--priority", priority];
        let output = entente(dir.path(), &args);
        assert!(output.status.success(), "{}", stderr(&output));
        assert!(stdout(&output).contains("requested: seats are given when registration closes"), "{}", stdout(&output));
    }
    let refused = entente(dir.path(), &["request", "add", "--event", "CLI-1-1", "--nation", "RU", "--seats", "1"]);
    assert!(!refused.status.success());
    assert!(stderr(&refused).contains("RU may not take part"), "{}", stderr(&refused));

    let output = entente(dir.path(), &["allocate", "--event", "CLI-1-1", "--format", "json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let rows: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 3, "one object per request, none for the refused one");
    let summary: Vec<(&str, i64, i64, &str)> = rows
        .iter()
        .map(|r| {
            assert!(r["reason"].as_str().is_some_and(|s| !s.is_empty()));
            (
                r["nation"].as_str().unwrap(),
                r["seats_requested"].as_i64().unwrap(),
                r["seats_allocated"].as_i64().unwrap(),
                r["status"].as_str().unwrap(),
            )
        })
        .collect();
    // Ukraine's priority 1 first; then one priority-2 seat per nation, Georgia asking first.
    assert_eq!(summary, [("GE", 2, 1, "allocated"), ("UA", 1, 1, "allocated"), ("MD", 1, 0, "waitlisted")]);
}

/// A partner officer builds and submits her nation's programme from the command line,
/// acting with `--as`; the list and the JSON show what she made.
#[test]
fn a_programme_is_built_from_the_command_line() {
    use std::io::Write as _;
    let dir = tempfile::tempdir().unwrap();
    let year = crate::seats::next_year();
    let mut add = Command::new(env!("CARGO_BIN_EXE_entente"))
        .args([
            "user",
            "add",
            "--email",
            "nino@example.org",
            "--name",
            "Nino",
            "--role",
            "partner_officer",
            "--nation",
            "GE",
        ])
        .current_dir(dir.path())
        .env_remove("ENTENTE_DATABASE_URL")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    add.stdin.take().unwrap().write_all(format!("{}\n", crate::support::PASSWORD).as_bytes()).unwrap();
    assert!(add.wait_with_output().unwrap().status.success());
    let run = |args: &[&str]| {
        let output = entente(dir.path(), args);
        assert!(output.status.success(), "{args:?}: {}", stderr(&output));
        stdout(&output)
    };
    let starts = format!("{year}-01-01");
    let created = run(&[
        "programme",
        "create",
        "--as",
        "nino@example.org",
        "--nation",
        "GE",
        "--kind",
        "itpp",
        "--title",
        "Georgia ITPP",
        "--starts",
        &starts,
    ]);
    let code = format!("GE-ITPP-{year}");
    assert!(created.starts_with(&code), "{created}");
    let objective = run(&["programme", "objective", &code, "--as", "nino@example.org", "--title", "Cyber resilience"]);
    let objective = objective.trim().strip_prefix("objective ").unwrap().to_owned();
    run(&[
        "programme",
        "goal",
        &code,
        "--as",
        "nino@example.org",
        "--objective",
        &objective,
        "--title",
        "A national CERT",
    ]);
    assert!(run(&["programme", "step", &code, "--as", "nino@example.org", "--step", "submit"]).contains("submitted"));
    let refused = entente(
        dir.path(),
        &["programme", "step", &code, "--as", "nino@example.org", "--step", "council_decision", "--reference", "PO(1)"],
    );
    assert!(!refused.status.success() && stderr(&refused).contains("approver"), "{}", stderr(&refused));
    let listed: serde_json::Value =
        serde_json::from_str(&run(&["programme", "list", "--nation", "GE", "--format", "json"])).unwrap();
    assert!(listed.as_array().unwrap().iter().any(|p| p["code"] == code.as_str() && p["status"] == "submitted"));
    let shown: serde_json::Value = serde_json::from_str(&run(&["programme", "show", &code])).unwrap();
    assert_eq!(shown["objectives"][0]["goals"][0]["title"], "A national CERT");
}

#[test]
fn rules_and_contributors_answer_scripts_as_the_contract_says() {
    let dir = tempfile::tempdir().unwrap();
    let json = |args: &[&str]| {
        let output = entente(dir.path(), args);
        assert!(output.status.success(), "{args:?}: {}", stderr(&output));
        serde_json::from_str::<serde_json::Value>(&stdout(&output)).unwrap()
    };
    let nato_7 = json(&["rule", "resolve", "members + framework:MD", "--at", "2020-01-01", "--format", "json"]);
    let codes: Vec<&str> = nato_7.as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect();
    assert_eq!(codes.len(), 29 + 7, "29 members and the seven Mediterranean Dialogue partners: {codes:?}");
    assert!(codes.windows(2).all(|w| w[0] < w[1]), "sorted");
    assert!(codes.contains(&"MA") && codes.contains(&"US"));

    let isaf = json(&["operation", "contributors", "ISAF", "--at", "2010-06-01", "--format", "json"]);
    let japan: Vec<_> = isaf.as_array().unwrap().iter().filter(|c| c["nation"] == "JP").collect();
    assert_eq!(japan.len(), 2);
    assert!(japan.iter().all(|c| c["status"] == "deployed" && c["kind"].is_string()));

    let bad = entente(dir.path(), &["rule", "resolve", "members + framework:XYZ", "--at", "2020-01-01"]);
    assert!(!bad.status.success());
    assert!(stderr(&bad).contains("position 11") && stderr(&bad).contains("XYZ"), "{}", stderr(&bad));
}

#[test]
fn progress_and_report_at_the_command_line_as_the_contract_gives_them() {
    let dir = tempfile::tempdir().unwrap();
    let demo = entente(dir.path(), &["demo", "assessments", "--seed", "3"]);
    assert!(demo.status.success(), "{}", stderr(&demo));
    assert!(stdout(&demo).contains("generated, seed 3"), "{}", stdout(&demo));
    let year = chrono::Datelike::year(&chrono::Utc::now()).to_string();

    let output = entente(dir.path(), &["progress", "--nation", "ge", "--year", &year, "--format", "json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let progress: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(progress["nation"], "GE");
    let programmes = progress["programmes"].as_array().unwrap();
    assert_eq!(programmes.len(), 1);
    let goals = programmes[0]["goals"].as_array().unwrap();
    assert_eq!(goals.len(), 20);
    for goal in goals {
        let value = &goal["progress"];
        assert!(value.is_null() || (0.0..=1.0).contains(&value.as_f64().unwrap()), "{goal}");
        assert!(goal.get("status").is_some(), "{goal}");
    }
    // A year before any data: every figure is null, not zero.
    let early = entente(dir.path(), &["progress", "--nation", "GE", "--year", "2001", "--format", "json"]);
    let early: serde_json::Value = serde_json::from_slice(&early.stdout).unwrap();
    assert!(early["progress"].is_null() && early["programmes"][0]["goals"][0]["progress"].is_null(), "{early}");

    let xlsx = dir.path().join("ge.xlsx");
    let output = entente(
        dir.path(),
        &["report", "--nation", "GE", "--year", &year, "--format", "xlsx", "--output", xlsx.to_str().unwrap()],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(std::fs::read(&xlsx).unwrap().starts_with(b"PK"), "an xlsx is a zip");
    let html = dir.path().join("ge.html");
    let output = entente(
        dir.path(),
        &["report", "--nation", "GE", "--year", &year, "--format", "html", "--output", html.to_str().unwrap()],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("<style>") && page.contains("Georgia"), "a page that prints on its own");

    let unknown = entente(dir.path(), &["progress", "--nation", "XX", "--year", &year]);
    assert!(!unknown.status.success());
    assert!(stderr(&unknown).contains("nation"), "{}", stderr(&unknown));
}
