//! The real binary, killed with SIGKILL while TAP async jobs run, then started again on the same
//! data folder: every job is accounted for, and every completed result is byte-identical.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::harness::{Client, free_port, urlencode};

fn start(port: u16, data: &std::path::Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_vostok"))
        .args([
            "serve",
            "--bind",
            &format!("127.0.0.1:{port}"),
            "--data-dir",
        ])
        .arg(data)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

async fn wait_until_up(http: &Client, base: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if let Some(health) = http.try_get(&format!("{base}/health")).await
            && health.status.is_success()
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the server at {base} did not come up");
}

/// The number of jobs in `phase`, from the UWS job list.
async fn count_in(http: &Client, base: &str, phase: &str) -> usize {
    let list = http.get(&format!("{base}/tap/async?PHASE={phase}")).await;
    list.body.matches("<uws:jobref").count()
}

/// Job `i`'s query: a tenth of Hipparcos sorted, a different tenth and label for each job.
fn query(i: usize) -> String {
    format!(
        "SELECT hip, ra, dec, vmag, b_v, {i} AS job FROM stars.hipparcos WHERE MOD(hip, 10) = {} ORDER BY vmag, hip",
        i % 10
    )
}

/// The paths of the jobs the list shows in `phase`.
async fn jobs_in(http: &Client, base: &str, phase: &str) -> Vec<String> {
    let list = http.get(&format!("{base}/tap/async?PHASE={phase}")).await;
    list.body
        .split("xlink:href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter_map(|href| href.find("/tap/async/").map(|i| href[i..].to_owned()))
        .collect()
}

fn phase_of(text: &str) -> String {
    let start = text.find("<uws:phase>").unwrap() + "<uws:phase>".len();
    text[start..text[start..].find('<').unwrap() + start].to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_hundred_jobs_survive_a_kill_9_with_completed_results_byte_identical() {
    let data = tempfile::tempdir().unwrap();
    let http = Client::default();
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut server = start(port, data.path());
    wait_until_up(&http, &base).await;

    let mut jobs = Vec::new();
    for i in 0..100 {
        let form = format!(
            "LANG=ADQL&FORMAT=csv&PHASE=RUN&QUERY={}",
            urlencode(&query(i))
        );
        let created = http.post(&format!("{base}/tap/async"), &form).await;
        assert_eq!(created.status, 303);
        let location = created.location.unwrap();
        jobs.push(location[location.find("/tap/async/").unwrap()..].to_owned());
    }
    let deadline = Instant::now() + Duration::from_secs(120);
    while count_in(&http, &base, "COMPLETED").await < 5 {
        assert!(Instant::now() < deadline, "no job completed in time");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let mut before = Vec::new();
    for job in jobs_in(&http, &base, "COMPLETED").await {
        let result = http.get(&format!("{base}{job}/results/result")).await;
        before.push((job, result.bytes));
    }
    server.kill().unwrap();
    server.wait().unwrap();

    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut server = start(port, data.path());
    wait_until_up(&http, &base).await;
    let deadline = Instant::now() + Duration::from_secs(300);
    while count_in(&http, &base, "QUEUED").await + count_in(&http, &base, "EXECUTING").await > 0 {
        assert!(
            Instant::now() < deadline,
            "jobs still running after the restart"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let (mut completed, mut interrupted) = (0, 0);
    for (i, job) in jobs.iter().enumerate() {
        let document = http.get(&format!("{base}{job}")).await;
        assert_eq!(document.status, 200, "{job} is gone");
        match phase_of(&document.body).as_str() {
            "COMPLETED" => {
                completed += 1;
                let result = http.get(&format!("{base}{job}/results/result")).await;
                let sync = format!(
                    "{base}/tap/sync?LANG=ADQL&FORMAT=csv&QUERY={}",
                    urlencode(&query(i))
                );
                assert_eq!(
                    result.bytes,
                    http.get(&sync).await.bytes,
                    "{job}: result differs from the query's"
                );
            }
            "ERROR" => {
                interrupted += 1;
                let error = http.get(&format!("{base}{job}/error")).await;
                assert!(error.body.contains("stopped"), "{job}: {:?}", error.body);
            }
            other => panic!("{job} ended {other}"),
        }
    }
    for (job, result) in &before {
        let after = http.get(&format!("{base}{job}/results/result")).await;
        assert_eq!(
            &after.bytes, result,
            "{job}: its result changed across the crash"
        );
    }
    server.kill().unwrap();
    server.wait().unwrap();
    assert_eq!(completed + interrupted, 100);
    assert!(
        before.len() >= 5 && before.len() < 100,
        "{} completed before the kill",
        before.len()
    );
    eprintln!(
        "{} completed before the kill, {completed} completed and {interrupted} interrupted in the end",
        before.len()
    );
}
