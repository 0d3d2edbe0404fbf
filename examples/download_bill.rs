//! 下载交易账单: asks for a day's trade bill (`GET v3/bill/tradebill`), streams the file
//! its response names to a path, checks the announced SHA1/SHA256 and decompresses a gzip
//! file on the way. The path receives the bill only once its hash matched.
//!
//! With no `WECHATPAY_MCHID` set it runs against the offline sandbox, which serves a
//! generated bill of `--size` bytes; with the `WECHATPAY_*` variables set (see the
//! README) it calls the configured host.
//!
//! ```text
//! cargo run --example download_bill
//! cargo run --release --example download_bill -- --gzip --size 1073741824 --out /tmp/bill.csv
//! ```
//!
//! Options: `--date YYYY-MM-DD` (default: yesterday in China Standard Time, the
//! gateway's day), `--gzip` (ask for `tar_type=GZIP`), `--out PATH` (default:
//! `tradebill-DATE.csv` in the temporary directory), `--discard` (verify the bill without
//! keeping it), `--max-bytes BYTES` (the download's size limit, default 1 GiB, on the file
//! received and on the bill decompressed), `--deadline SECONDS` (the download's time limit,
//! default 600), and for the sandbox `--size BYTES`
//! (default 1 MiB), `--sha256` (announce SHA256 instead of SHA1) and `--corrupt` (serve a
//! file that does not match its hash, to see the refusal).
//!
//! The file is fetched only from the configured host: a `download_url` naming another
//! host, port or scheme is refused before anything is sent.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use wechat_endpoint::bill::{Downloaded, TradeBill};
use wechat_endpoint::sandbox::{Sandbox, SandboxBill};
use wechat_endpoint::{Client, ClientBuilder, DEFAULT_BILL_DEADLINE, DEFAULT_MAX_BILL_BYTES};

struct Options {
    date: String,
    gzip: bool,
    out: Option<PathBuf>,
    discard: bool,
    max_bytes: u64,
    deadline: Duration,
    size: u64,
    sha256: bool,
    corrupt: bool,
}

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {}", wechat_endpoint::error_chain(&*error));
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let options = options()?;
    // Keeps the sandbox running until the end of `run`.
    let (client, _sandbox) = client(&options)?;
    let mut request = TradeBill::new(&options.date);
    if options.gzip {
        request = request.gzip();
    }
    let started = Instant::now();
    let done = if options.discard {
        client.download(&request, &mut tokio::io::sink()).await?
    } else {
        let path =
            options.out.clone().unwrap_or_else(|| std::env::temp_dir().join(format!("tradebill-{}.csv", options.date)));
        let done = client.download_to_path(&request, &path).await?;
        eprintln!("wrote {}", path.display());
        done
    };
    report(&done, started.elapsed().as_secs_f64());
    Ok(())
}

fn report(done: &Downloaded, seconds: f64) {
    let mib = done.written as f64 / (1024.0 * 1024.0);
    eprintln!(
        "{} bytes of bill ({} received{}), {} {} verified, in {seconds:.2} s ({:.0} MiB/s)",
        done.written,
        done.received,
        if done.gzip { ", gzip" } else { "" },
        done.hash_type,
        done.hash_value,
        mib / seconds.max(f64::EPSILON),
    );
}

/// The configured client, or a sandbox serving the bill asked for and a client for it.
fn client(options: &Options) -> Result<(Client, Option<Sandbox>), Box<dyn std::error::Error>> {
    if std::env::var_os(wechat_endpoint::env::MCHID).is_some() {
        let client = ClientBuilder::from_env()?
            .user_agent_suffix("download-bill-example")
            .max_bill_bytes(options.max_bytes)
            .bill_deadline(options.deadline)
            .build()?;
        eprintln!("calling the configured host as merchant {}", client.mchid());
        return Ok((client, None));
    }
    let sandbox = Sandbox::start()?;
    let mut bill = SandboxBill::of_size(options.size);
    if options.sha256 {
        bill = bill.sha256();
    }
    if options.corrupt {
        bill = bill.corrupted();
    }
    eprintln!(
        "WECHATPAY_MCHID is not set: using the offline sandbox at {}, serving a {}-byte bill",
        sandbox.base_url(),
        options.size
    );
    sandbox.serve_bill(bill);
    let client = sandbox.client_builder().max_bill_bytes(options.max_bytes).bill_deadline(options.deadline).build()?;
    Ok((client, Some(sandbox)))
}

fn options() -> Result<Options, String> {
    let mut options = Options {
        date: yesterday(),
        gzip: false,
        out: None,
        discard: false,
        max_bytes: DEFAULT_MAX_BILL_BYTES,
        deadline: DEFAULT_BILL_DEADLINE,
        size: 1024 * 1024,
        sha256: false,
        corrupt: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--date" => options.date = value("--date")?,
            "--gzip" => options.gzip = true,
            "--out" => options.out = Some(PathBuf::from(value("--out")?)),
            "--discard" => options.discard = true,
            "--max-bytes" => {
                let max = value("--max-bytes")?;
                options.max_bytes = max.parse().map_err(|_| format!("--max-bytes `{max}` is not a number of bytes"))?;
            }
            "--deadline" => {
                let seconds = value("--deadline")?;
                let seconds: u64 =
                    seconds.parse().map_err(|_| format!("--deadline `{seconds}` is not a number of seconds"))?;
                options.deadline = Duration::from_secs(seconds);
            }
            "--size" => {
                let size = value("--size")?;
                options.size = size.parse().map_err(|_| format!("--size `{size}` is not a number of bytes"))?;
            }
            "--sha256" => options.sha256 = true,
            "--corrupt" => options.corrupt = true,
            other => {
                return Err(format!(
                    "unknown argument `{other}`; options: --date YYYY-MM-DD, --gzip, --out PATH, --discard, \
                     --max-bytes BYTES, --deadline SECONDS, --size BYTES, --sha256, --corrupt"
                ));
            }
        }
    }
    Ok(options)
}

/// Yesterday in China Standard Time (UTC+8), `YYYY-MM-DD`: the latest day with a bill.
fn yesterday() -> String {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let days = ((now + 8 * 3600) / 86_400) as i64 - 1;
    // Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}
