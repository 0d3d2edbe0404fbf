//! Building the request of `disassociate-stores` (target and JSON body), with the impl
//! `#[wechat_endpoint]` generates against a careful hand-written one. Buffers are reused
//! like the client reuses them.
//!
//! Criterion measures each impl on its own; the ratio printed at the end,
//! generated/hand-written, is the median over rounds that time both impls back to back,
//! so that a machine busy with other work slows both sides of each ratio alike.
//!
//! ```text
//! cargo bench --bench macro_build
//! ```

#[path = "../tests/macro_seed/mod.rs"]
mod macro_seed;

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::Criterion;
use macro_seed::{Store, generated, hand};
use wechat_endpoint::{Endpoint, TargetWriter};

/// Writes the target and the body into the reused buffers, as the client does.
fn build<E: Endpoint>(endpoint: &E, target: &mut String, body: &mut Vec<u8>) {
    endpoint.write_target(&mut TargetWriter::new(target, "/")).expect("target");
    body.clear();
    endpoint.write_body(body).expect("body");
}

/// Time of `iters` builds.
fn timed<E: Endpoint>(endpoint: &E, iters: u64) -> Duration {
    let (mut target, mut body) = (String::with_capacity(256), Vec::with_capacity(256));
    let start = Instant::now();
    for _ in 0..iters {
        build(black_box(endpoint), &mut target, &mut body);
        black_box((&target, &body));
    }
    start.elapsed()
}

fn endpoints() -> (generated::DisassociateStores, hand::DisassociateStores) {
    let generated = generated::DisassociateStores {
        product_coupon_id: "1000000013".into(),
        stock_id: "1000000013001".into(),
        brand_id: "120344".into(),
        store_list: vec![Store { store_id: "100000001".into() }, Store { store_id: "100000002".into() }],
    };
    let hand = hand::DisassociateStores::from(&generated);

    let (mut target, mut body) = (String::new(), Vec::new());
    build(&generated, &mut target, &mut body);
    let generated_bytes = (target.clone(), body.clone());
    build(&hand, &mut target, &mut body);
    assert_eq!(generated_bytes, (target, body), "the two impls must build the same request");
    (generated, hand)
}

fn bench(c: &mut Criterion, generated: &generated::DisassociateStores, hand: &hand::DisassociateStores) {
    let mut group = c.benchmark_group("disassociate_stores");
    group.bench_function("generated", |b| b.iter_custom(|iters| timed(generated, iters)));
    group.bench_function("hand_written", |b| b.iter_custom(|iters| timed(hand, iters)));
    group.finish();
}

/// The median of generated/hand-written over rounds timing both, in alternating order.
fn paired_ratio(generated: &generated::DisassociateStores, hand: &hand::DisassociateStores) -> f64 {
    const ROUNDS: usize = 301;
    const ITERS: u64 = 10_000;
    let mut ratios: Vec<f64> = (0..ROUNDS)
        .map(|round| {
            let (g, h) = if round % 2 == 0 {
                let g = timed(generated, ITERS);
                (g, timed(hand, ITERS))
            } else {
                let h = timed(hand, ITERS);
                (timed(generated, ITERS), h)
            };
            g.as_secs_f64() / h.as_secs_f64()
        })
        .collect();
    ratios.sort_by(f64::total_cmp);
    ratios[ROUNDS / 2]
}

fn main() {
    let (generated, hand) = endpoints();
    let mut criterion = Criterion::default().configure_from_args();
    bench(&mut criterion, &generated, &hand);
    criterion.final_summary();
    println!("generated/hand-written time ratio: {:.3}", paired_ratio(&generated, &hand));
}
