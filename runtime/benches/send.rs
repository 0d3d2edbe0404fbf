//! One whole `send` against bare sign+verify with the same keys, measured in the same
//! run, and the ratio between them: what the client costs beyond the RSA floor.
//!
//! A whole send builds the target and JSON body, signs them, makes an HTTP/1.1 round
//! trip on loopback to a server responding with fixed, pre-signed bytes (so its own cost is
//! near zero), verifies the response's signature and decodes it. Sign+verify is the
//! merchant key signing a request message of the same shape and the WeChat Pay public
//! key verifying the response message.
//!
//! ```text
//! cargo bench -p wechat-endpoint --features sandbox --bench send
//! ```
//!
//! Besides criterion's wall-clock figures it measures the two in pairs: rounds of a
//! batch of each, back to back, so that both see the same load, timed by wall clock and
//! by the CPU time of the calling thread (the client runs on a current-thread runtime,
//! so its connection task runs there too; the server's thread is not counted). It
//! prints the median wall-clock ratio of the rounds, with its quartiles, and the ratio
//! of CPU time summed over them: on a loaded machine separate runs of each differ by
//! more than the ratio does.

use std::hint::black_box;
use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine as _;
use criterion::Criterion;
use serde::{Deserialize, Serialize};
use wechat_endpoint::crypto::{Backend, PrivateKey, VerifyingKey};
use wechat_endpoint::sandbox::{
    MCHID, MERCHANT_PRIVATE_KEY_PEM, MERCHANT_SERIAL, WECHATPAY_PRIVATE_KEY_PEM, WECHATPAY_PUBLIC_KEY_ID,
    WECHATPAY_PUBLIC_KEY_PEM,
};
use wechat_endpoint::signing::{nonce, request_message, response_message, unix_now};
use wechat_endpoint::{BuildError, Endpoint, Method, RetryPolicy, TargetWriter, write_json};

const RESPONSE_BODY: &[u8] = br#"{"total_count":1}"#;

#[derive(Serialize)]
struct Store {
    store_id: &'static str,
}

#[derive(Deserialize)]
struct DisassociateStoresResponse {
    total_count: u64,
}

/// `POST …/product-coupons/{product_coupon_id}/stocks/{stock_id}/disassociate-stores`,
/// written as `#[wechat_endpoint]` expands it.
struct DisassociateStores {
    product_coupon_id: &'static str,
    stock_id: &'static str,
    brand_id: &'static str,
    store_list: Vec<Store>,
}

impl Endpoint for DisassociateStores {
    type Response = DisassociateStoresResponse;
    const METHOD: Method = Method::POST;
    const PATH_TEMPLATE: &'static str =
        "v3/marketing/partner/product-coupon/product-coupons/{product_coupon_id}/stocks/{stock_id}/disassociate-stores";

    fn write_target(&self, target: &mut TargetWriter<'_>) -> Result<(), BuildError> {
        target.push_path("v3/marketing/partner/product-coupon/product-coupons/");
        target.push_segment("product_coupon_id", self.product_coupon_id)?;
        target.push_path("/stocks/");
        target.push_segment("stock_id", self.stock_id)?;
        target.push_path("/disassociate-stores");
        Ok(())
    }

    fn write_body(&self, body: &mut Vec<u8>) -> Result<(), BuildError> {
        #[derive(Serialize)]
        struct Body<'a> {
            brand_id: &'a str,
            store_list: &'a [Store],
        }
        write_json(body, &Body { brand_id: self.brand_id, store_list: &self.store_list })
    }
}

fn call() -> DisassociateStores {
    DisassociateStores {
        product_coupon_id: "1000000013",
        stock_id: "1000000013001",
        brand_id: "120344",
        store_list: vec![Store { store_id: "100000001" }],
    }
}

/// The fixed response, signed by the WeChat Pay key now; re-signed when it nears the
/// 300-second window.
struct Signed {
    at: i64,
    bytes: Vec<u8>,
}

fn signed_response(key: &PrivateKey) -> Signed {
    let at = unix_now();
    let nonce = nonce();
    let mut message = Vec::new();
    response_message(&mut message, &at.to_string(), &nonce, RESPONSE_BODY);
    let signature = base64::engine::general_purpose::STANDARD.encode(key.sign(&message).unwrap());
    let mut bytes = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nRequest-ID: bench-1\r\n\
         Wechatpay-Timestamp: {at}\r\nWechatpay-Nonce: {nonce}\r\nWechatpay-Signature: {signature}\r\n\
         Wechatpay-Serial: {WECHATPAY_PUBLIC_KEY_ID}\r\nWechatpay-Signature-Type: WECHATPAY2-SHA256-RSA2048\r\n\r\n",
        RESPONSE_BODY.len()
    )
    .into_bytes();
    bytes.extend_from_slice(RESPONSE_BODY);
    Signed { at, bytes }
}

/// A loopback HTTP/1.1 server that reads each request (head and `Content-Length` body)
/// and writes the same pre-signed response, on keep-alive connections.
fn serve() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let key = Arc::new(PrivateKey::from_pem(WECHATPAY_PRIVATE_KEY_PEM, Backend::default()).unwrap());
    let response = Arc::new(Mutex::new(signed_response(&key)));
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { return };
            let (key, response) = (key.clone(), response.clone());
            std::thread::spawn(move || respond_each(stream, &key, &response));
        }
    });
    addr
}

fn respond_each(stream: TcpStream, key: &PrivateKey, response: &Mutex<Signed>) {
    stream.set_nodelay(true).unwrap();
    let mut writer = stream.try_clone().unwrap();
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    let mut body = Vec::new();
    loop {
        let mut length = 0;
        loop {
            line.clear();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            if line == "\r\n" {
                break;
            }
            if let Some((name, value)) = line.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse().unwrap();
            }
        }
        body.resize(length, 0);
        reader.read_exact(&mut body).unwrap();
        let mut response = response.lock().unwrap();
        if unix_now() - response.at > 120 {
            *response = signed_response(key);
        }
        if writer.write_all(&response.bytes).is_err() {
            return;
        }
    }
}

/// CPU time this thread has run (`CLOCK_THREAD_CPUTIME_ID`, exact to the nanosecond,
/// where `/proc/thread-self/schedstat` moves by scheduler ticks); `None` off Unix.
fn thread_cpu() -> Option<Duration> {
    #[cfg(unix)]
    {
        let mut now = libc::timespec { tv_sec: 0, tv_nsec: 0 };
        // SAFETY: `now` is a valid, writable timespec for the call's duration.
        let done = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
        (done == 0).then(|| Duration::new(now.tv_sec as u64, now.tv_nsec as u32))
    }
    #[cfg(not(unix))]
    None
}

/// What both measurements run: one whole send, and sign+verify with the same keys.
struct Fixture {
    runtime: tokio::runtime::Runtime,
    client: wechat_endpoint::Client,
    call: DisassociateStores,
    merchant: PrivateKey,
    wechatpay: VerifyingKey,
    timestamp: i64,
    nonce: String,
    response_signature: Vec<u8>,
    message: Vec<u8>,
}

const TARGET: &str =
    "/v3/marketing/partner/product-coupon/product-coupons/1000000013/stocks/1000000013001/disassociate-stores";
const BODY: &[u8] = br#"{"brand_id":"120344","store_list":[{"store_id":"100000001"}]}"#;

impl Fixture {
    fn new() -> Self {
        let addr = serve();
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let client = wechat_endpoint::Client::builder()
            .mchid(MCHID)
            .merchant_serial(MERCHANT_SERIAL)
            .private_key_pem(MERCHANT_PRIVATE_KEY_PEM)
            .wechatpay_public_key_pem(WECHATPAY_PUBLIC_KEY_ID, WECHATPAY_PUBLIC_KEY_PEM)
            .base_url(format!("http://{addr}/"))
            .retry(RetryPolicy::none())
            .build()
            .unwrap();
        let wechatpay_private = PrivateKey::from_pem(WECHATPAY_PRIVATE_KEY_PEM, Backend::default()).unwrap();
        let (timestamp, nonce) = (unix_now(), nonce());
        let mut message = Vec::new();
        response_message(&mut message, &timestamp.to_string(), &nonce, RESPONSE_BODY);
        let response_signature = wechatpay_private.sign(&message).unwrap().to_vec();
        let fixture = Fixture {
            runtime,
            client,
            call: call(),
            merchant: PrivateKey::from_pem(MERCHANT_PRIVATE_KEY_PEM, Backend::default()).unwrap(),
            wechatpay: VerifyingKey::from_pem(WECHATPAY_PUBLIC_KEY_PEM, Backend::default()).unwrap(),
            timestamp,
            nonce,
            response_signature,
            message,
        };
        let response = fixture.runtime.block_on(fixture.client.send(&fixture.call)).unwrap();
        assert_eq!(response.total_count, 1);
        fixture
    }

    fn send(&self) {
        let response = self.runtime.block_on(self.client.send(black_box(&self.call))).unwrap();
        black_box(response.total_count);
    }

    fn sign_and_verify(&mut self) {
        request_message(&mut self.message, "POST", black_box(TARGET), self.timestamp, &self.nonce, BODY);
        black_box(self.merchant.sign(&self.message).unwrap());
        response_message(&mut self.message, &self.timestamp.to_string(), &self.nonce, black_box(RESPONSE_BODY));
        self.wechatpay.verify(&self.message, &self.response_signature).unwrap();
    }
}

fn bench(c: &mut Criterion, fixture: &mut Fixture) {
    let mut group = c.benchmark_group("send");
    group.bench_function("whole send", |b| b.iter(|| fixture.send()));
    group.bench_function("sign+verify", |b| b.iter(|| fixture.sign_and_verify()));
    group.finish();
}

/// Wall and thread CPU time of `iters` runs of `f`.
fn timed(iters: u32, mut f: impl FnMut()) -> (Duration, Duration) {
    let cpu = thread_cpu();
    let start = Instant::now();
    for _ in 0..iters {
        f();
    }
    let wall = start.elapsed();
    (wall, thread_cpu().zip(cpu).map_or(wall, |(end, start)| end - start))
}

/// The ratio measured in pairs: each round runs a batch of whole sends and a batch of
/// sign+verify back to back (in alternating order), so that both see the same load.
/// Reported: the median of the rounds' wall-clock ratios with its quartiles, and the
/// ratio of the thread CPU time summed over all rounds (this thread's CPU clock may
/// move by scheduler ticks, too coarse for one batch, not for the sum).
fn paired(fixture: &mut Fixture, rounds: usize, batch: u32) {
    let mut wall_ratios = Vec::with_capacity(rounds);
    let (mut send_wall, mut floor_wall) = (Duration::ZERO, Duration::ZERO);
    let (mut send_cpu, mut floor_cpu) = (Duration::ZERO, Duration::ZERO);
    for round in 0..rounds {
        let (send, floor) = if round % 2 == 0 {
            let send = timed(batch, || fixture.send());
            (send, timed(batch, || fixture.sign_and_verify()))
        } else {
            let floor = timed(batch, || fixture.sign_and_verify());
            (timed(batch, || fixture.send()), floor)
        };
        wall_ratios.push(send.0.as_secs_f64() / floor.0.as_secs_f64());
        (send_wall, floor_wall) = (send_wall + send.0, floor_wall + floor.0);
        (send_cpu, floor_cpu) = (send_cpu + send.1, floor_cpu + floor.1);
    }
    wall_ratios.sort_by(f64::total_cmp);
    let at = |q: f64| wall_ratios[((wall_ratios.len() - 1) as f64 * q).round() as usize];
    let calls = f64::from(batch) * rounds as f64;
    let per_call = |total: Duration| total.as_secs_f64() * 1e6 / calls;
    println!("paired: {rounds} rounds of {batch} whole sends and {batch} sign+verify");
    println!("  whole send   {:>7.1} µs wall {:>7.1} µs thread CPU (means)", per_call(send_wall), per_call(send_cpu));
    println!("  sign+verify  {:>7.1} µs wall {:>7.1} µs thread CPU (means)", per_call(floor_wall), per_call(floor_cpu));
    println!(
        "  ratio whole send / sign+verify: {:.3}x wall (median of rounds; quartiles {:.3} {:.3}), {:.3}x thread CPU (sums)",
        at(0.5),
        at(0.25),
        at(0.75),
        send_cpu.as_secs_f64() / floor_cpu.as_secs_f64()
    );
}

fn main() {
    let mut fixture = Fixture::new();
    // `SEND_BENCH_RUN=send:N` (or `sign+verify:N`) runs one of them N times alone and
    // exits: to count instructions under `valgrind --tool=callgrind`, which does not
    // depend on the machine's load. The difference between two values of N is the cost
    // of N calls.
    if let Ok(run) = std::env::var("SEND_BENCH_RUN") {
        let (op, times) = run.split_once(':').expect("SEND_BENCH_RUN=send:N or sign+verify:N");
        let times: u32 = times.parse().expect("a number of runs");
        match op {
            "send" => (0..times).for_each(|_| fixture.send()),
            "sign+verify" => (0..times).for_each(|_| fixture.sign_and_verify()),
            other => panic!("SEND_BENCH_RUN names `{other}`, not `send` or `sign+verify`"),
        }
        return;
    }
    let mut criterion = Criterion::default().configure_from_args();
    bench(&mut criterion, &mut fixture);
    criterion.final_summary();
    paired(&mut fixture, 300, 20);
}
