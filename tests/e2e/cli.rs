//! The `pelekan` binary: one clear line and a non-zero exit on error, never a panic.

use std::process::{Command, Output};

fn pelekan(database: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pelekan"))
        .args(args)
        .env("DATABASE_URL", database)
        .env("PELEKAN_BOT_USERNAME", "pelekan_test_bot")
        .env_remove("TELOXIDE_TOKEN")
        .env("RUST_LOG", "error")
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn the_command_line_bootstraps_invites_and_exports() {
    let folder = tempfile::tempdir().unwrap();
    // The folder does not exist yet: it is created with the file.
    let database = format!("sqlite://{}", folder.path().join("nested/pelekan.db").display());

    let migrated = pelekan(&database, &["migrate"]);
    assert!(migrated.status.success(), "{}", stderr(&migrated));

    let manager = pelekan(&database, &["admin", "add-manager", "42", "--name", "مدیر برنامه"]);
    assert!(manager.status.success(), "{}", stderr(&manager));

    let invite = pelekan(&database, &["invite", "caseworker"]);
    assert!(invite.status.success(), "{}", stderr(&invite));
    let out = stdout(&invite);
    let code = out.lines().find_map(|l| l.strip_prefix("code: ")).unwrap().to_string();
    assert!(out.contains(&format!("https://t.me/pelekan_test_bot?start={code}")), "{out}");

    let refused = pelekan(&database, &["invite", "entrepreneur", "--caseworker", "999"]);
    assert!(!refused.status.success());
    assert_eq!(stderr(&refused).trim().lines().count(), 1, "one clear line: {}", stderr(&refused));
    assert!(stderr(&refused).contains("no caseworker"), "{}", stderr(&refused));

    let people = pelekan(&database, &["export", "people", "--format", "csv"]);
    assert!(people.status.success(), "{}", stderr(&people));
    let csv = stdout(&people);
    assert!(csv.starts_with("person_id,telegram_id,role,full_name"), "{csv}");
    assert!(csv.contains("42,manager,مدیر برنامه"), "{csv}");
    assert!(csv.contains("joined_at_jalali"));

    for (table, header) in [
        ("loans", "loan_id,entrepreneur_id,level"),
        ("installments", "installment_id,loan_id"),
        ("payments", "payment_id,loan_id"),
    ] {
        let export = pelekan(&database, &["export", table, "--format", "csv"]);
        assert!(export.status.success(), "{}", stderr(&export));
        assert!(stdout(&export).starts_with(header), "{}", stdout(&export));
    }

    let sales = pelekan(&database, &["export", "sales"]);
    assert!(sales.status.success(), "{}", stderr(&sales));
    assert!(stdout(&sales).starts_with("sale_id,entrepreneur_id"), "{}", stdout(&sales));
}

#[test]
fn errors_are_one_line_and_a_failure_exit() {
    let folder = tempfile::tempdir().unwrap();
    let database = format!("sqlite://{}", folder.path().join("p.db").display());
    let no_token = pelekan(&database, &["run"]);
    assert!(!no_token.status.success());
    assert!(!stderr(&no_token).contains("panicked"));
    assert_eq!(stderr(&no_token).trim().lines().count(), 1, "{}", stderr(&no_token));
    assert!(stderr(&no_token).contains("TELOXIDE_TOKEN"));

    let blocked = folder.path().join("file");
    std::fs::write(&blocked, "not a folder").unwrap();
    let bad_database = pelekan(&format!("sqlite://{}/x.db", blocked.display()), &["migrate"]);
    assert!(!bad_database.status.success());
    assert_eq!(stderr(&bad_database).trim().lines().count(), 1, "{}", stderr(&bad_database));
    assert!(!stderr(&bad_database).contains("panicked"));

    // The bulk share is a fraction of the rate: 0 would never send bulk, over 1 is no share.
    for share in ["0", "1.5", "-0.2"] {
        let out = pelekan(&database, &[&format!("--bulk-share={share}"), "migrate"]);
        assert!(!out.status.success(), "--bulk-share {share} was taken");
        assert!(stderr(&out).contains("PELEKAN_BULK_SHARE"), "{}", stderr(&out));
        assert_eq!(stderr(&out).trim().lines().count(), 1, "{}", stderr(&out));
    }
    assert!(pelekan(&database, &["--bulk-share", "0.6", "migrate"]).status.success());
}

#[test]
fn yes_or_no_environment_settings_accept_1_0_yes_no() {
    let folder = tempfile::tempdir().unwrap();
    let database = format!("sqlite://{}", folder.path().join("p.db").display());
    let run_with = |value: &str| {
        Command::new(env!("CARGO_BIN_EXE_pelekan"))
            .arg("run")
            .env("DATABASE_URL", &database)
            .env("PELEKAN_UNTHROTTLED", value)
            .env_remove("TELOXIDE_TOKEN")
            .env("RUST_LOG", "error")
            .output()
            .unwrap()
    };
    // Read, the setting lets the bot go on to the next thing it needs: the token.
    for value in ["1", "0", "true", "false", "yes", "no"] {
        let out = run_with(value);
        assert!(stderr(&out).contains("TELOXIDE_TOKEN"), "PELEKAN_UNTHROTTLED={value}: {}", stderr(&out));
    }
    let out = run_with("maybe");
    assert!(!out.status.success());
    assert!(stderr(&out).contains("PELEKAN_UNTHROTTLED") || stderr(&out).contains("unthrottled"), "{}", stderr(&out));
}

#[test]
fn the_demo_prints_a_persian_transcript() {
    let folder = tempfile::tempdir().unwrap();
    let database = format!("sqlite://{}", folder.path().join("unused.db").display());
    let demo = pelekan(&database, &["demo"]);
    assert!(demo.status.success(), "{}", stderr(&demo));
    let out = stdout(&demo);
    for expected in [
        "کارآفرین تازه‌ای به شما پیوست",
        "۲۵۰٬۰۰۰ تومان",
        "این مبلغ را متوجه نشدم",
        "۱۲۰٬۰۰۰ تومان",
        "۲ فروش در پایگاه داده ثبت شد",
    ] {
        assert!(out.contains(expected), "the transcript lacks {expected:?}:\n{out}");
    }
    assert!(!folder.path().join("unused.db").exists(), "the demo uses a temporary database of its own");
}

#[test]
fn a_broken_programme_file_is_one_clear_line_naming_it() {
    let folder = tempfile::tempdir().unwrap();
    let database = format!("sqlite://{}", folder.path().join("p.db").display());
    let programme = folder.path().join("programme.toml");
    std::fs::write(&programme, pelekan::config::BUILT_IN_PROGRAMME.replace("hour = 10", "hour = 22")).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_pelekan"))
        .args(["migrate", "--programme", programme.to_str().unwrap()])
        .env("DATABASE_URL", &database)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = stderr(&out);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("programme.toml") && err.contains("quiet hours"), "{err}");
}

#[test]
fn the_scan_command_dry_runs_without_changes_and_runs_once_a_day() {
    let folder = tempfile::tempdir().unwrap();
    let database = format!("sqlite://{}", folder.path().join("p.db").display());
    assert!(pelekan(&database, &["migrate"]).status.success());
    let dry = pelekan(&database, &["scan", "--as-of", "1405/09/01", "--dry-run"]);
    assert!(dry.status.success(), "{}", stderr(&dry));
    assert!(stdout(&dry).starts_with("scan of 2026-11-22 (1405/09/01)"), "{}", stdout(&dry));
    let first = pelekan(&database, &["scan", "--as-of", "2026-11-22"]);
    assert!(first.status.success(), "{}", stderr(&first));
    let second = pelekan(&database, &["scan", "--as-of", "۱۴۰۵/۰۹/۰۱"]);
    assert!(!second.status.success());
    assert!(stderr(&second).contains("already run"), "{}", stderr(&second));
    let bad = pelekan(&database, &["scan", "--as-of", "yesterday"]);
    assert!(!bad.status.success());
    assert_eq!(stderr(&bad).trim().lines().count(), 1, "{}", stderr(&bad));
}

#[test]
fn synthetic_programmes_are_deterministic_and_hold_every_trouble_situation() {
    let folder = tempfile::tempdir().unwrap();
    let mut dry_runs = Vec::new();
    for run in 0..2 {
        let database = format!("sqlite://{}", folder.path().join(format!("s{run}.db")).display());
        let seeded = pelekan(
            &database,
            &["seed-synthetic", "--entrepreneurs", "100", "--months", "6", "--end", "2026-11-22", "--seed", "9"],
        );
        assert!(seeded.status.success(), "{}", stderr(&seeded));
        let dry = pelekan(&database, &["scan", "--as-of", "2026-11-22", "--dry-run"]);
        assert!(dry.status.success(), "{}", stderr(&dry));
        dry_runs.push(stdout(&dry));
    }
    assert_eq!(dry_runs[0], dry_runs[1], "the same seed gives the same programme");
    assert!(dry_runs[0].starts_with("scan of 2026-11-22 (1405/09/01): 100 entrepreneurs"), "{}", dry_runs[0]);
    let playbook = pelekan::config::Playbook::built_in();
    for n in 1..=8u8 {
        let name = &playbook.scenario(n).unwrap().name;
        let alerts = dry_runs[0].matches(name.as_str()).count();
        assert!(alerts >= 2, "scenario {n} ({name}) appears {alerts} times");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pelekan_run_answers_telegram_and_stops_cleanly_on_sigterm() {
    use pelekan::fake_telegram::{ApiSpec, FakeTelegram, FakeUser};
    let telegram = FakeTelegram::start(Some(ApiSpec::beside_project().unwrap())).await.unwrap();
    let folder = tempfile::tempdir().unwrap();
    let database = format!("sqlite://{}", folder.path().join("run.db").display());
    let mut child = Command::new(env!("CARGO_BIN_EXE_pelekan"))
        .arg("run")
        .env("TELOXIDE_TOKEN", "123456:TEST")
        .env("TELOXIDE_API_URL", telegram.url().as_str())
        .env("DATABASE_URL", &database)
        .env("RUST_LOG", "error")
        .spawn()
        .unwrap();
    let started = telegram.wait_for(crate::harness::WAIT, |t| t.find_request(|r| r.method == "setMyCommands")).await;
    assert!(started.is_some(), "the bot registered its commands");
    let visitor = FakeUser::new(9001, "مهمان", None);
    telegram.send_text(&visitor, "/start");
    let tr = pelekan::i18n::Tr::persian().unwrap();
    let hello = telegram
        .wait_for(crate::harness::WAIT, |t| {
            t.messages_to(visitor.id).into_iter().find(|m| m.text == tr.msg("stranger-hello"))
        })
        .await;
    assert!(hello.is_some(), "the running bot answered");

    let pid = child.id().to_string();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    // The dispatcher finishes the long poll under way (up to its 10-second timeout) and exits.
    let exited =
        tokio::time::timeout(std::time::Duration::from_secs(60), tokio::task::spawn_blocking(move || child.wait()))
            .await;
    let status = exited.expect("the bot stops after SIGTERM").unwrap().unwrap();
    assert!(status.success(), "clean exit: {status:?}");
    assert!(telegram.violations().is_empty(), "{:?}", telegram.violations());
}
