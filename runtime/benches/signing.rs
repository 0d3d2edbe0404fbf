//! SHA256withRSA signing and verification: aws-lc-rs against the pure-Rust `rsa` crate,
//! measured in the same run. Prints each backend's rate and the ratio.
//!
//! ```text
//! cargo bench -p wechat-endpoint --bench signing --all-features
//! ```

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::Criterion;
use wechat_endpoint::crypto::{Backend, PrivateKey, VerifyingKey};
use wechat_endpoint::sandbox::{MERCHANT_PRIVATE_KEY_PEM, MERCHANT_PUBLIC_KEY_PEM};

const MESSAGE: &[u8] = b"POST\n/v3/marketing/partner/product-coupon/product-coupons/1000000013/stocks/1000000013001/disassociate-stores\n1732752000\n593BEC0C930BF1AFEB40B4A08C8FB242\n{\"brand_id\":\"120344\",\"store_list\":[{\"store_id\":\"100000001\"}]}\n";

/// Total iterations and time per (operation, backend), as criterion ran them.
type Totals = BTreeMap<(&'static str, String), (u64, Duration)>;

thread_local! {
    static TOTALS: RefCell<Totals> = RefCell::default();
}

fn timed(op: &'static str, backend: Backend, iters: u64, mut f: impl FnMut()) -> Duration {
    let start = Instant::now();
    for _ in 0..iters {
        f();
    }
    let elapsed = start.elapsed();
    TOTALS.with(|t| {
        let mut t = t.borrow_mut();
        let entry = t.entry((op, format!("{backend:?}"))).or_default();
        entry.0 += iters;
        entry.1 += elapsed;
    });
    elapsed
}

fn bench(c: &mut Criterion) {
    let mut sign = c.benchmark_group("sign");
    for &backend in Backend::ALL {
        let key = PrivateKey::from_pem(MERCHANT_PRIVATE_KEY_PEM, backend).unwrap();
        sign.bench_function(format!("{backend:?}"), |b| {
            b.iter_custom(|iters| timed("sign", backend, iters, || drop(black_box(key.sign(black_box(MESSAGE))))))
        });
    }
    sign.finish();

    let signature = PrivateKey::from_pem(MERCHANT_PRIVATE_KEY_PEM, Backend::default()).unwrap().sign(MESSAGE).unwrap();
    let mut verify = c.benchmark_group("verify");
    for &backend in Backend::ALL {
        let key = VerifyingKey::from_pem(MERCHANT_PUBLIC_KEY_PEM, backend).unwrap();
        verify.bench_function(format!("{backend:?}"), |b| {
            b.iter_custom(|iters| {
                timed("verify", backend, iters, || drop(black_box(key.verify(black_box(MESSAGE), &signature))))
            })
        });
    }
    verify.finish();
}

fn report() {
    TOTALS.with(|t| {
        let t = t.borrow();
        for op in ["sign", "verify"] {
            let rates: Vec<(String, f64)> = t
                .iter()
                .filter(|((o, _), _)| *o == op)
                .map(|((_, backend), (iters, time))| (backend.clone(), *iters as f64 / time.as_secs_f64()))
                .collect();
            for (backend, rate) in &rates {
                println!("{op:>6} {backend:<10} {rate:>10.0} /s");
            }
            if let [(fast_name, fast), (slow_name, slow)] = rates.as_slice() {
                println!("{op:>6} {fast_name}/{slow_name} throughput ratio: {:.2}", fast / slow);
            }
        }
    });
}

fn main() {
    let mut criterion = Criterion::default().configure_from_args();
    bench(&mut criterion);
    criterion.final_summary();
    report();
}
