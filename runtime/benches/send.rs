//! One whole `send` against bare sign+verify with the same keys, measured in the same
//! run, and the ratio between them: what the client costs beyond the RSA floor.
//!
//! A whole send builds the target and JSON body, signs them, makes an HTTP/1.1 round
//! trip on loopback to a server answering fixed, pre-signed bytes (so its own cost is
//! near zero), verifies the answer's signature and decodes it. Sign+verify is the
//! merchant key signing a request message of the same shape and the WeChat Pay public
//! key verifying the answer message.
//!
//! ```text
//! cargo bench -p wechat-endpoint --features sandbox --bench send
//! ```
//!
//! Besides criterion's wall-clock figures it prints the CPU time of the calling thread
//! (the client runs on a current-thread runtime, so its connection task runs there too;
//! the server's thread is not counted) and both ratios. On a loaded machine the wall
//! figures carry the scheduling delays of the round trip; compare ratios from one run.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::hint::black_box;
use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine as _;
use criterion::Criterion;
use serde::{Deserialize, Serialize};
use wechat_endpoint::crypto::{Backend, SigningKey, VerifyingKey};
use wechat_endpoint::sandbox::{
    MCHID, MERCHANT_PRIVATE_KEY_PEM, MERCHANT_SERIAL, PUBLIC_KEY_ID, WECHATPAY_PRIVATE_KEY_PEM,
    WECHATPAY_PUBLIC_KEY_PEM,
};
use wechat_endpoint::signing::{answer_message, nonce, request_message, unix_now};
use wechat_endpoint::{BuildError, Endpoint, Method, RetryPolicy, TargetWriter, write_json};

const ANSWER: &[u8] = br#"{"total_count":1}"#;

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

/// The fixed answer, signed by the WeChat Pay key now; re-signed when it nears the
/// 300-second window.
struct Signed {
    at: i64,
    bytes: Vec<u8>,
}

fn signed_answer(key: &SigningKey) -> Signed {
    let at = unix_now();
    let nonce = nonce();
    let mut message = Vec::new();
    answer_message(&mut message, &at.to_string(), &nonce, ANSWER);
    let signature = base64::engine::general_purpose::STANDARD.encode(key.sign(&message).unwrap());
    let mut bytes = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nRequest-ID: bench-1\r\n\
         Wechatpay-Timestamp: {at}\r\nWechatpay-Nonce: {nonce}\r\nWechatpay-Signature: {signature}\r\n\
         Wechatpay-Serial: {PUBLIC_KEY_ID}\r\nWechatpay-Signature-Type: WECHATPAY2-SHA256-RSA2048\r\n\r\n",
        ANSWER.len()
    )
    .into_bytes();
    bytes.extend_from_slice(ANSWER);
    Signed { at, bytes }
}

/// A loopback HTTP/1.1 server that reads each request (head and `Content-Length` body)
/// and writes the same pre-signed answer, on keep-alive connections.
fn serve() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let key = Arc::new(SigningKey::from_pem(WECHATPAY_PRIVATE_KEY_PEM, Backend::default()).unwrap());
    let answer = Arc::new(Mutex::new(signed_answer(&key)));
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { return };
            let (key, answer) = (key.clone(), answer.clone());
            std::thread::spawn(move || answer_each(stream, &key, &answer));
        }
    });
    addr
}

fn answer_each(stream: TcpStream, key: &SigningKey, answer: &Mutex<Signed>) {
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
        let mut answer = answer.lock().unwrap();
        if unix_now() - answer.at > 120 {
            *answer = signed_answer(key);
        }
        if writer.write_all(&answer.bytes).is_err() {
            return;
        }
    }
}

/// CPU time this thread has run, from `/proc/thread-self/schedstat`; `None` elsewhere.
fn thread_cpu() -> Option<Duration> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    Some(Duration::from_nanos(text.split_whitespace().next()?.parse().ok()?))
}

/// Iterations, wall time and thread CPU time per operation, as criterion ran them.
type Totals = BTreeMap<&'static str, (u64, Duration, Duration)>;

thread_local! {
    static TOTALS: RefCell<Totals> = RefCell::default();
}

fn timed(op: &'static str, iters: u64, mut f: impl FnMut()) -> Duration {
    let cpu = thread_cpu();
    let start = Instant::now();
    for _ in 0..iters {
        f();
    }
    let wall = start.elapsed();
    let cpu = thread_cpu().zip(cpu).map_or(wall, |(end, start)| end - start);
    TOTALS.with(|t| {
        let mut t = t.borrow_mut();
        let entry = t.entry(op).or_default();
        entry.0 += iters;
        entry.1 += wall;
        entry.2 += cpu;
    });
    wall
}

fn bench(c: &mut Criterion) {
    let addr = serve();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let client = wechat_endpoint::Client::builder()
        .mchid(MCHID)
        .merchant_serial(MERCHANT_SERIAL)
        .private_key_pem(MERCHANT_PRIVATE_KEY_PEM)
        .public_key_pem(PUBLIC_KEY_ID, WECHATPAY_PUBLIC_KEY_PEM)
        .base_url(format!("http://{addr}/"))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let call = call();
    let answer = runtime.block_on(client.send(&call)).unwrap();
    assert_eq!(answer.total_count, 1);

    let merchant = SigningKey::from_pem(MERCHANT_PRIVATE_KEY_PEM, Backend::default()).unwrap();
    let wechatpay = VerifyingKey::from_pem(WECHATPAY_PUBLIC_KEY_PEM, Backend::default()).unwrap();
    let wechatpay_private = SigningKey::from_pem(WECHATPAY_PRIVATE_KEY_PEM, Backend::default()).unwrap();
    let target =
        "/v3/marketing/partner/product-coupon/product-coupons/1000000013/stocks/1000000013001/disassociate-stores";
    let body = br#"{"brand_id":"120344","store_list":[{"store_id":"100000001"}]}"#;
    let (timestamp, nonce) = (unix_now(), nonce());
    let mut answer_signed = Vec::new();
    answer_message(&mut answer_signed, &timestamp.to_string(), &nonce, ANSWER);
    let answer_signature = wechatpay_private.sign(&answer_signed).unwrap();

    let mut group = c.benchmark_group("send");
    group.bench_function("whole send", |b| {
        b.iter_custom(|iters| {
            timed("whole send", iters, || {
                let answer = runtime.block_on(client.send(black_box(&call))).unwrap();
                black_box(answer.total_count);
            })
        })
    });
    group.bench_function("sign+verify", |b| {
        let mut message = Vec::new();
        b.iter_custom(|iters| {
            timed("sign+verify", iters, || {
                request_message(&mut message, "POST", black_box(target), timestamp, &nonce, body);
                black_box(merchant.sign(&message).unwrap());
                answer_message(&mut message, &timestamp.to_string(), &nonce, black_box(ANSWER));
                wechatpay.verify(&message, &answer_signature).unwrap();
            })
        })
    });
    group.finish();
}

fn report() {
    TOTALS.with(|t| {
        let t = t.borrow();
        let per_call = |op| t.get(op).map(|&(n, wall, cpu)| (wall / n as u32, cpu / n as u32));
        let (Some((send_wall, send_cpu)), Some((floor_wall, floor_cpu))) =
            (per_call("whole send"), per_call("sign+verify"))
        else {
            return;
        };
        println!("whole send   {:>9.1} µs wall {:>9.1} µs thread CPU", micros(send_wall), micros(send_cpu));
        println!("sign+verify  {:>9.1} µs wall {:>9.1} µs thread CPU", micros(floor_wall), micros(floor_cpu));
        println!(
            "ratio whole send / sign+verify: {:.2}x wall, {:.2}x thread CPU",
            send_wall.as_secs_f64() / floor_wall.as_secs_f64(),
            send_cpu.as_secs_f64() / floor_cpu.as_secs_f64()
        );
    });
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

fn main() {
    let mut criterion = Criterion::default().configure_from_args();
    bench(&mut criterion);
    criterion.final_summary();
    report();
}
