//! The dynamic form's path templates and the sandbox's routes follow the grammar
//! `#[wechat_endpoint]` checks: a bad template is refused before anything is sent.

use serde_json::json;
use wechat_endpoint::sandbox::{Sandbox, SandboxResponse};
use wechat_endpoint::{BuildError, Error, Method, TemplateError};

/// Templates of every kind the grammar refuses, each with what its error must say.
const BAD: &[(&str, &str)] = &[
    ("v3/x?a=1", "has a query"),
    ("v3/x?", "has a query"),
    ("v3/x#top", "has a fragment"),
    ("v3/{id", "`{` without a closing `}`"),
    ("v3/id}", "`}` without `{`"),
    ("v3/{a{b}", "`{` without a closing `}`"),
    ("v3//x", "empty segment"),
    ("//v3/x", "empty segment"),
    ("v3/x//", "empty segment"),
    ("v3/./x", "`.` segment"),
    ("v3/../x", "`..` segment"),
    ("v3/a b", "a space in segment"),
    ("v3/a\tb", "has `\\t`"),
    ("v3/a\nb", "has `\\n`"),
    ("v3/a\u{0}b", "has `\\u{0}`"),
    ("v3/中文", "a request target is ASCII"),
    ("v3/a\"b", "cannot carry unchanged"),
    ("v3/a%zz", "percent-encoded byte"),
    ("v3/<id", "`<` without a closing `>`"),
    ("v3/<id}", "`<` without a closing `>`"),
    ("v3/{id>", "`{` without a closing `}`"),
    ("v3/x<id>", "must be a whole segment"),
    ("v3/{id}/x/<id>", "`<id>` appears twice"),
    ("v3/x{id}", "must be a whole segment"),
    ("v3/{id}.json", "must be a whole segment"),
    ("v3/{id}/x/{id}", "`{id}` appears twice"),
    ("v3/{}", "`{}` has no name"),
    ("v3/{1a}", "`{1a}` is not a name"),
    ("", "is empty"),
    ("/", "only `/`"),
];

fn template_error(error: Error) -> TemplateError {
    match error {
        Error::Build(BuildError::Template(error)) => error,
        other => panic!("not a template error: {other:?}"),
    }
}

#[tokio::test]
async fn every_kind_of_bad_template_is_refused_before_anything_is_sent() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client().unwrap();
    for &(template, says) in BAD {
        for method in [Method::GET, Method::POST] {
            let error = client
                .request(method.clone(), template)
                .path("id", "1")
                .query(&[("b", "2")])
                .json(&json!({ "k": "v" }))
                .send()
                .await
                .unwrap_err();
            let error = template_error(error);
            assert_eq!(error.template, template);
            assert!(error.to_string().contains(says), "{method} {template:?}: {error}");
        }
    }
    assert!(sandbox.received().is_empty(), "sent: {:?}", sandbox.received());
}

#[tokio::test]
async fn a_query_in_the_template_is_refused_instead_of_sent_as_a_second_query() {
    let sandbox = Sandbox::start().unwrap();
    let error =
        sandbox.client().unwrap().request(Method::GET, "v3/x?a=1").query(&[("b", "2")]).send().await.unwrap_err();
    let error = template_error(error);
    assert_eq!(error.problems.len(), 1);
    assert!(error.problems[0].contains(".query("), "{error}");
    assert!(sandbox.received().is_empty());
}

#[test]
fn the_blocking_dynamic_form_refuses_them_too() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.blocking_client().unwrap();
    for &(template, says) in BAD {
        let error = client.request(Method::GET, template).path("id", "1").send().unwrap_err();
        assert!(template_error(error).to_string().contains(says), "{template:?}");
    }
    assert!(sandbox.received().is_empty());
}

#[test]
fn every_problem_of_a_template_is_named() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.blocking_client().unwrap();
    let error = client.request(Method::GET, "v3//a b/{x/y?z").send().unwrap_err();
    let error = template_error(error);
    assert_eq!(error.problems.len(), 4, "{error}");
}

#[tokio::test]
async fn good_templates_still_work() {
    let sandbox = Sandbox::start().unwrap();
    sandbox.route(Method::GET, "v3/echo/{a}/x%20y/", |req| {
        SandboxResponse::ok(json!({ "a": req.path_value("a"), "b": req.query_value("b") }))
    });
    sandbox.route(Method::POST, "/v3/echo/{a}", |req| SandboxResponse::ok(json!({ "a": req.path_value("a") })));
    let client = sandbox.client().unwrap();

    let response = client
        .request(Method::GET, "/v3/echo/{a}/x%20y/")
        .path("a", "a/b?c")
        .query(&[("b", "2")])
        .send()
        .await
        .unwrap();
    assert_eq!(response, json!({ "a": "a/b?c", "b": "2" }));
    assert_eq!(sandbox.received()[0].target, "/v3/echo/a%2Fb%3Fc/x%20y/?b=2");

    let response = client.request(Method::POST, "v3/echo/{a}").path("a", 7).json(&json!({})).send().await.unwrap();
    assert_eq!(response, json!({ "a": "7" }));
}

/// One grammar everywhere: `<name>`, which `#[wechat_endpoint]` takes, works in the
/// dynamic form and in sandbox routes too, mixed with `{name}` or not.
#[tokio::test]
async fn angle_bracket_placeholders_work_too() {
    let sandbox = Sandbox::start().unwrap();
    sandbox.route(Method::GET, "v3/echo/<a>/{b}", |req| {
        SandboxResponse::ok(json!({ "a": req.path_value("a"), "b": req.path_value("b") }))
    });
    let client = sandbox.client().unwrap();
    for template in ["v3/echo/<a>/<b>", "/v3/echo/{a}/<b>", "v3/echo/{a}/{b}"] {
        let response = client.request(Method::GET, template).path("a", "1/2").path("b", "x").send().await.unwrap();
        assert_eq!(response, json!({ "a": "1/2", "b": "x" }), "{template}");
    }
    assert!(sandbox.received().iter().all(|r| r.target == "/v3/echo/1%2F2/x"));
    assert_eq!(sandbox.received().len(), 3);
}

#[test]
fn the_sandbox_refuses_bad_route_templates() {
    let sandbox = Sandbox::start().unwrap();
    for &(template, says) in BAD {
        let error = sandbox.try_route(Method::GET, template, |_| SandboxResponse::no_content()).unwrap_err();
        assert!(error.to_string().contains(says), "{template:?}: {error}");
    }
    sandbox.try_route(Method::GET, "v3/ok/{id}/", |_| SandboxResponse::no_content()).unwrap();
}

#[test]
#[should_panic(expected = "Sandbox::route: path template `v3/x?a=1` is invalid: the path template has a query")]
fn the_sandbox_route_panics_with_the_problem() {
    let sandbox = Sandbox::start().unwrap();
    sandbox.route(Method::GET, "v3/x?a=1", |_| SandboxResponse::no_content());
}
