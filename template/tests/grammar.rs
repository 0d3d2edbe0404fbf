//! The one path template grammar, as the macro (`FilledBy::Fields`) and the dynamic form
//! and sandbox (`FilledBy::Values`) see it.

use wechat_endpoint_template::{Delimiters, FilledBy, Problem, Segment, Template, parse};

fn lit(text: &str) -> Segment {
    Segment::Literal(text.into())
}

fn ph(name: &str) -> Segment {
    Segment::Placeholder(name.into())
}

fn ok(template: &str) -> Template {
    parse(template, FilledBy::Values).unwrap_or_else(|problems| panic!("{template:?}: {problems:?}"))
}

fn messages(template: &str, filled_by: FilledBy) -> Vec<String> {
    parse(template, filled_by).expect_err(template).into_iter().map(|p| p.message).collect()
}

/// The one problem of `template`, as the dynamic form words it.
fn one_problem(template: &str) -> String {
    one_problem_for(template, FilledBy::Values)
}

fn one_problem_for(template: &str, filled_by: FilledBy) -> String {
    let problems = messages(template, filled_by);
    assert_eq!(problems.len(), 1, "{template}: {problems:?}");
    problems.into_iter().next().unwrap()
}

/// `template` with `{`, `}` and `<`, `>` swapped.
fn swapped(template: &str) -> String {
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

#[test]
fn segments_and_placeholders() {
    let t = ok(
        "v3/marketing/partner/product-coupon/product-coupons/{product_coupon_id}/stocks/{stock_id}/associated-stores",
    );
    assert_eq!(
        t.segments(),
        [
            lit("v3"),
            lit("marketing"),
            lit("partner"),
            lit("product-coupon"),
            lit("product-coupons"),
            ph("product_coupon_id"),
            lit("stocks"),
            ph("stock_id"),
            lit("associated-stores"),
        ]
    );
    let names: Vec<&str> = t.placeholders().iter().map(|p| p.name()).collect();
    assert_eq!(names, ["product_coupon_id", "stock_id"]);
}

#[test]
fn braces_and_angles_are_one_grammar() {
    let braces = ok("v3/product-coupons/{product_coupon_id}/stocks/{stock_id}");
    let angles = ok("v3/product-coupons/<product_coupon_id>/stocks/<stock_id>");
    let mixed = ok("v3/product-coupons/{product_coupon_id}/stocks/<stock_id>");
    assert_eq!(braces.segments(), angles.segments());
    assert_eq!(braces.segments(), mixed.segments());
    // Each placeholder remembers how it was written, for messages that quote it.
    assert_eq!(mixed.placeholders()[0].delimiters(), Delimiters::Braces);
    assert_eq!(mixed.placeholders()[1].delimiters(), Delimiters::Angles);
    assert_eq!(mixed.placeholders()[0].to_string(), "{product_coupon_id}");
    assert_eq!(mixed.placeholders()[1].to_string(), "<stock_id>");
    // One canonical form, the one `Endpoint::PATH_TEMPLATE` shows.
    for t in [&braces, &angles, &mixed] {
        assert_eq!(t.to_string(), "v3/product-coupons/{product_coupon_id}/stocks/{stock_id}");
    }
}

#[test]
fn leading_slash_is_dropped_and_a_trailing_one_kept() {
    assert_eq!(parse("/v3/certificates", FilledBy::Values), parse("v3/certificates", FilledBy::Values));
    assert_eq!(ok("/v3/certificates").to_string(), "v3/certificates");
    assert_eq!(
        ok("v3/applyment4sub/applyment/").segments(),
        [lit("v3"), lit("applyment4sub"), lit("applyment"), lit("")]
    );
    assert_eq!(ok("v3/applyment4sub/applyment/").to_string(), "v3/applyment4sub/applyment/");
    assert_eq!(ok("v3/{id}/").segments(), [lit("v3"), ph("id"), lit("")]);
    assert_eq!(ok("v3/<id>/").segments(), [lit("v3"), ph("id"), lit("")]);
}

#[test]
fn placeholder_at_either_end_and_alone() {
    assert_eq!(ok("{id}").segments(), [ph("id")]);
    assert_eq!(ok("<id>").segments(), [ph("id")]);
    assert_eq!(ok("/{a}/b/{_c1}").segments(), [ph("a"), lit("b"), ph("_c1")]);
    assert_eq!(ok("/<a>/b/<_c1>").segments(), [ph("a"), lit("b"), ph("_c1")]);
    assert_eq!(ok("<a>/{b}").segments(), [ph("a"), ph("b")]);
}

#[test]
fn rfc3986_path_characters_are_kept() {
    let text = "v3/a-b.c_d~e!$&'()*+,;=:@/%2F%e4";
    let t = ok(text);
    assert_eq!(t.segments(), [lit("v3"), lit("a-b.c_d~e!$&'()*+,;=:@"), lit("%2F%e4")]);
    assert_eq!(t.to_string(), text);
}

#[test]
fn empty_templates() {
    assert!(one_problem("").contains("is empty"));
    assert!(one_problem("/").contains("only `/`"));
}

#[test]
fn unbalanced_and_empty_placeholders() {
    assert!(one_problem("v3/{id").contains("`{` without a closing `}`"));
    assert!(one_problem("v3/<id").contains("`<` without a closing `>`"));
    assert!(one_problem("v3/{a{b}").contains("`{` without a closing `}`"));
    assert!(one_problem("v3/<a<b>").contains("`<` without a closing `>`"));
    assert!(one_problem("v3/id}").contains("`}` without `{`"));
    assert!(one_problem("v3/id>").contains("`>` without `<`"));
    assert!(one_problem("v3/id>").contains("placeholders are written `{name}` or `<name>`"));
    // Delimiters pair as written: `{` closes with `}`, `<` with `>`.
    assert!(one_problem("v3/{id>").contains("`{` without a closing `}`"));
    assert!(one_problem("v3/<id}").contains("`<` without a closing `>`"));
    assert!(one_problem("v3/<{id}>").contains("`<` without a closing `>`"));
    assert!(one_problem("v3/{}").contains("`{}` has no name"));
    assert!(one_problem("v3/<>").contains("`<>` has no name"));
    assert!(one_problem("v3/{1abc}").contains("`{1abc}` is not a name"));
    assert!(one_problem("v3/<a-b>").contains("`<a-b>` is not a name"));
    assert!(one_problem("v3/{_}").contains("`{_}` is not a name"));
    assert!(one_problem("v3/{ id}").contains("`{ id}` is not a name"));
}

#[test]
fn placeholders_fill_whole_segments() {
    for bad in ["v3/a{id}", "v3/{id}.json", "v3/{a}{b}", "v3/x{id}y", "v3/a<id>", "v3/<id>.json", "v3/<a>{b}"] {
        assert!(one_problem(bad).contains("must be a whole segment"), "{bad}");
    }
    assert!(one_problem("v3/a<id>").contains("placeholder `<id>` shares segment `a<id>` with other text"));
}

#[test]
fn duplicate_placeholders_are_quoted_as_written() {
    assert!(one_problem("v3/{id}/x/{id}").contains("placeholder `{id}` appears twice"));
    assert!(one_problem("v3/<id>/x/<id>").contains("placeholder `<id>` appears twice"));
    // The same name in either form is the same placeholder.
    assert!(one_problem("v3/{id}/x/<id>").contains("placeholder `<id>` appears twice"));
}

#[test]
fn empty_and_dot_segments() {
    assert!(one_problem("v3//a").contains("empty segment"));
    assert!(one_problem("//v3").contains("empty segment"));
    assert!(one_problem("v3/a//").contains("empty segment"));
    assert!(one_problem("v3/../a").contains("`..` segment"));
    assert!(one_problem("v3/./a").contains("`.` segment"));
}

#[test]
fn query_and_fragment() {
    assert!(one_problem("v3/a?x=1").contains("has a query"));
    assert!(one_problem("v3/a#top").contains("has a fragment"));
    // The path before the query is still checked.
    assert_eq!(messages("v3//a?x=1", FilledBy::Values).len(), 2);
}

#[test]
fn characters_a_target_cannot_carry() {
    assert!(one_problem("v3/a b").contains("a space in segment `a b`"));
    assert!(one_problem("v3/a\tb").contains("has `\\t` in segment `a\\tb`"));
    assert!(one_problem("v3/a\u{7}b").contains("has `\\u{7}`"));
    assert!(one_problem("v3/中文").contains("is ASCII"));
    assert!(one_problem("v3/a%zz").contains("percent-encoded byte"));
    assert!(one_problem("v3/a%2").contains("percent-encoded byte"));
    assert!(one_problem("v3/a\"b").contains("cannot carry unchanged"));
    assert!(one_problem("v3/a\\b").contains("cannot carry unchanged"));
}

/// The messages the macro's compile errors show (its trybuild snapshots hold the same).
#[test]
fn messages_for_fields() {
    let fields = |template| one_problem_for(template, FilledBy::Fields);
    assert_eq!(
        fields("v3/stocks/<stock_id>?brand_id=120344"),
        "the path template has a query (`?…`); fields of a GET or DELETE go to the query string, and \
         `#[wechat(query)]` sends a field there on any method"
    );
    assert_eq!(fields("v3/stocks/<>"), "placeholder `<>` has no name; write the field's name, like `<stock_id>`");
    assert_eq!(fields("v3/stocks/{}"), "placeholder `{}` has no name; write the field's name, like `{stock_id}`");
    assert_eq!(
        fields("v3/stocks/<1abc>"),
        "placeholder `<1abc>` is not a field name; use letters, digits and `_`, not starting with a digit"
    );
    assert_eq!(
        fields("v3/stocks/a<stock_id>"),
        "placeholder `<stock_id>` shares segment `a<stock_id>` with other text; a placeholder must be a whole \
         segment, between `/`s"
    );
    assert_eq!(fields("v3/stocks/<stock_id"), "`<` without a closing `>` in segment `<stock_id`");
    assert_eq!(
        fields("v3/stocks/<stock_id>/copies/<stock_id>"),
        "placeholder `<stock_id>` appears twice; each path value fills one segment"
    );
    assert_eq!(
        fields("v3/stocks/<stock_id>/associated stores"),
        "the path template has a space in segment `associated stores`; a request target cannot carry it, \
         percent-encode it as `%20`"
    );
}

/// The messages the dynamic form and the sandbox's routes show.
#[test]
fn messages_for_values() {
    assert_eq!(
        one_problem("v3/x?a=1"),
        "the path template has a query (`?…`); give query values on their own, with `.query(…)`, and they are \
         encoded and signed as sent"
    );
    assert_eq!(one_problem("v3/{}"), "placeholder `{}` has no name; write the value's name, like `{stock_id}`");
    assert_eq!(
        one_problem("v3/{1a}"),
        "placeholder `{1a}` is not a name; use letters, digits and `_`, not starting with a digit"
    );
}

#[test]
fn every_problem_is_reported() {
    assert_eq!(messages("v3/{a}/{a}//b c/{1}/x{y}/z/./", FilledBy::Values).len(), 6);
    assert_eq!(messages("v3/<a>/<a>//b c/<1>/x<y>/z/./", FilledBy::Fields).len(), 6);
}

#[test]
fn offsets_point_into_the_template() {
    let offsets = |template: &str| -> Vec<usize> {
        parse(template, FilledBy::Values).unwrap_err().iter().map(|p| p.offset).collect()
    };
    let template = "/v3/ok/a b";
    assert_eq!(offsets(template), [template.find(' ').unwrap()]);
    let template = "/v3/{a}/{a}";
    assert_eq!(offsets(template), [template.rfind('{').unwrap()]);
    let template = "/v3/<a>/{a}";
    assert_eq!(offsets(template), [template.rfind('{').unwrap()]);
    let template = "v3/x/a{b}?q#f";
    assert_eq!(offsets(template), [template.find('?').unwrap(), template.find('{').unwrap()]);
}

#[test]
fn problems_are_errors_that_display_their_message() {
    let problem: Problem = parse("v3//a", FilledBy::Values).unwrap_err().remove(0);
    assert_eq!(problem.to_string(), problem.message);
    let _: &dyn std::error::Error = &problem;
}

/// What must hold for any input, over every short string of the characters the parser
/// cares about: no panic; problems with offsets on `char` boundaries inside the
/// template; an accepted template is its segments written back, and its canonical form
/// parses to the same segments; `{}` and `<>` are one grammar (swapping them changes no
/// verdict and no offset); `FilledBy` changes only the words.
#[test]
fn properties_of_every_short_template() {
    const ALPHABET: [char; 13] = ['/', '{', '}', '<', '>', 'a', '1', '?', '#', '%', ' ', '.', '中'];
    let mut stack = vec![String::new()];
    let mut checked = 0;
    while let Some(template) = stack.pop() {
        let values = parse(&template, FilledBy::Values);
        match &values {
            Ok(parsed) => {
                let mut placeholders = parsed.placeholders().iter();
                let written: Vec<String> = parsed
                    .segments()
                    .iter()
                    .map(|segment| match segment {
                        Segment::Literal(text) => text.clone(),
                        Segment::Placeholder(name) => {
                            let placeholder = placeholders.next().expect("one placeholder per placeholder segment");
                            assert_eq!(placeholder.name(), name);
                            placeholder.to_string()
                        }
                    })
                    .collect();
                assert_eq!(written.join("/"), template.strip_prefix('/').unwrap_or(&template));
                let canonical = parsed.to_string();
                let again = parse(&canonical, FilledBy::Values).expect("the canonical form parses");
                assert_eq!(again.segments(), parsed.segments(), "{template:?}");
                assert_eq!(again.to_string(), canonical);
            }
            Err(problems) => {
                assert!(!problems.is_empty(), "{template:?}");
                for problem in problems {
                    assert!(problem.offset <= template.len(), "{template:?}");
                    assert!(template.is_char_boundary(problem.offset), "{template:?}");
                    assert!(!problem.message.is_empty(), "{template:?}");
                }
            }
        }
        let offsets = |result: Result<Template, Vec<Problem>>| {
            result.map(|t| t.segments().to_vec()).map_err(|p| p.iter().map(|p| p.offset).collect::<Vec<_>>())
        };
        let values = offsets(values);
        assert_eq!(offsets(parse(&template, FilledBy::Fields)), values, "{template:?}");
        assert_eq!(offsets(parse(&swapped(&template), FilledBy::Values)), values, "{template:?}");
        checked += 1;
        if template.chars().count() < 5 {
            for c in ALPHABET {
                stack.push(format!("{template}{c}"));
            }
        }
    }
    assert!(checked > 100_000);
}

#[test]
fn real_and_hostile_templates() {
    for template in [
        "v3/marketing/partner/product-coupon/product-coupons/{product_coupon_id}/stocks/{stock_id}/associated-stores",
        "/v3/pay/transactions/out-trade-no/{out_trade_no}",
        "v3/applyment4sub/applyment/",
        "v3/a-b.c_d~e!$&'()*+,;=:@/%2F%e4",
    ] {
        ok(template);
        ok(&swapped(template));
    }
    for (template, count) in [
        ("v3/x?a=1", 1),
        ("v3/{a}/{a}//b c/{1}/x{y}/z/./", 6),
        ("v3/a\tb/\u{0}/\u{7f}/\u{a0}", 4),
        ("v3/{_}/{a-b}/{ id}/{}", 4),
        ("v3/a%zz/a%2/%", 3),
        ("v3/a\"b/a\\b/a`b/a^b/a|b", 5),
    ] {
        assert_eq!(messages(template, FilledBy::Values).len(), count, "{template:?}");
        assert_eq!(messages(&swapped(template), FilledBy::Fields).len(), count, "{template:?}");
    }
}
