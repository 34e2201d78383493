//! The core at the scale: 5,000 accepted domains × 500 candidate certificates × 20
//! inbound connectors × 100 messages, against the same with one domain, with and without
//! the plan, and with badssl's 10,000-SAN certificate presented.
//! Run: `cargo bench --bench scale` (figures and their meaning: docs/performance.md).

#[path = "common/mod.rs"]
mod common;

use std::hint::black_box;

use common::{CERTIFICATES, DOMAINS, NOW};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};

fn benches(c: &mut Criterion) {
    let certs = common::candidates(CERTIFICATES);
    let one = common::scale(1, certs.clone());
    let full = common::scale(DOMAINS, certs.clone());
    assert_eq!(full.tenant.len(), DOMAINS);
    assert_eq!(full.certificates.len(), CERTIFICATES);
    assert_eq!(full.inbound_connectors.len(), common::CONNECTORS);
    assert_eq!(full.messages.len(), common::MESSAGES);

    // validate = facts → mail flow → checks → the plan; evaluate stops before the plan.
    let mut g = c.benchmark_group("scale");
    for (domains, s) in [(1, &one), (DOMAINS, &full)] {
        g.bench_with_input(BenchmarkId::new("validate", domains), s, |b, s| {
            b.iter(|| relaycheck::validate(black_box(s), NOW));
        });
        g.bench_with_input(BenchmarkId::new("evaluate", domains), s, |b, s| {
            b.iter(|| relaycheck::checks::evaluate(black_box(s), NOW));
        });
        let eval = relaycheck::checks::evaluate(s, NOW);
        g.bench_with_input(BenchmarkId::new("plan", domains), s, |b, s| {
            b.iter(|| relaycheck::plan::plan(black_box(s), &eval, NOW));
        });
    }
    g.finish();

    if !(common::wanted("cert-load/badssl-10000-sans")
        || common::wanted("scale-10000-sans/validate/5000")
        || common::wanted("scale-10000-sans/evaluate/5000")
        || common::wanted("scale-10000-sans/tscn-choices/5000"))
    {
        return;
    }
    let Some((bytes, facts)) = common::ten_thousand_sans() else {
        return;
    };
    c.bench_function("cert-load/badssl-10000-sans", |b| {
        b.iter(|| relaycheck::cert::load("10000.pem", black_box(&bytes), None));
    });
    let mut big = full.clone();
    big.certificates[0] = common::entry("subdomain-10000-sans.pem", facts);
    let mut g = c.benchmark_group("scale-10000-sans");
    g.bench_with_input(BenchmarkId::new("validate", DOMAINS), &big, |b, s| {
        b.iter(|| relaycheck::validate(black_box(s), NOW));
    });
    g.bench_with_input(BenchmarkId::new("evaluate", DOMAINS), &big, |b, s| {
        b.iter(|| relaycheck::checks::evaluate(black_box(s), NOW));
    });
    if common::wanted("scale-10000-sans/tscn-choices/5000") {
        let report = relaycheck::validate(&big, NOW);
        g.bench_with_input(BenchmarkId::new("tscn-choices", DOMAINS), &big, |b, s| {
            b.iter(|| report.tscn_choices(black_box(s)));
        });
    }
    g.finish();
}

criterion_group!(scale, benches);
criterion_main!(scale);
