//! The runtime's template grammar (dynamic form, sandbox routes) and the macro's accept
//! the same templates and find the same problems at the same places, once placeholders
//! are written `{name}` for the one and `<name>` for the other. Both parsers are plain
//! `std` files, included here as they are.

#[allow(dead_code)]
#[path = "../macros/src/template.rs"]
mod macro_grammar;

#[allow(dead_code)]
#[path = "../runtime/src/template.rs"]
mod runtime_grammar;

/// The template the macro would be given for the runtime's `template`.
fn in_macro_form(template: &str) -> String {
    template
        .chars()
        .map(|c| match c {
            '{' => '<',
            '}' => '>',
            '<' => '{',
            '>' => '}',
            c => c,
        })
        .collect()
}

fn compare(template: &str) {
    let runtime = runtime_grammar::parse_template(template)
        .map_err(|problems| problems.iter().map(|p| p.offset).collect::<Vec<_>>());
    let macro_form = in_macro_form(template);
    let macro_result = macro_grammar::parse_template(&macro_form)
        .map_err(|errors| errors.iter().map(|e| e.offset).collect::<Vec<_>>());
    match (runtime, macro_result) {
        (Ok(_), Ok(_)) => {}
        (Err(here), Err(there)) => assert_eq!(here, there, "{template:?} / {macro_form:?}: problem offsets differ"),
        (here, there) => panic!("{template:?}: runtime {here:?}, macro ({macro_form:?}) {there:?}"),
    }
}

#[test]
fn both_grammars_agree_on_every_short_template() {
    const ALPHABET: [char; 13] = ['/', '{', '}', '<', '>', 'a', '1', '?', '#', '%', ' ', '.', '中'];
    let mut stack = vec![String::new()];
    let mut compared = 0;
    while let Some(template) = stack.pop() {
        compare(&template);
        compared += 1;
        if template.chars().count() < 5 {
            for c in ALPHABET {
                stack.push(format!("{template}{c}"));
            }
        }
    }
    assert!(compared > 100_000);
}

#[test]
fn both_grammars_agree_on_real_and_hostile_templates() {
    for template in [
        "v3/marketing/partner/product-coupon/product-coupons/{product_coupon_id}/stocks/{stock_id}/associated-stores",
        "/v3/pay/transactions/out-trade-no/{out_trade_no}",
        "v3/applyment4sub/applyment/",
        "v3/a-b.c_d~e!$&'()*+,;=:@/%2F%e4",
        "v3/x?a=1",
        "v3/{a}/{a}//b c/{1}/x{y}/z/./",
        "v3/a\tb/\u{0}/\u{7f}/\u{a0}",
        "v3/{_}/{a-b}/{ id}/{}",
        "v3/a%zz/a%2/%",
        "v3/a\"b/a\\b/a`b/a^b/a|b",
    ] {
        compare(template);
    }
}
