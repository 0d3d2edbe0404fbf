//! The prepay calls of JSAPI and App payments: `POST v3/pay/transactions/jsapi`,
//! `v3/pay/transactions/app` and `v3/pay/partner/transactions/jsapi`, responding with a
//! `prepay_id` the sandbox remembers for [`super::Sandbox::check_jsapi_payment`] and
//! [`super::Sandbox::check_app_payment`].

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use http::{Method, StatusCode};
use rand::Rng as _;
use serde_json::{Value, json};

use super::routes::{Route, Router, SandboxRequest, SandboxResponse};
use super::{MCHID, lock};

/// Orders remembered; past this the oldest are forgotten all at once.
const MAX_ORDERS: usize = 100_000;

/// Which front end an order was placed for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// JSAPI or mini program.
    Jsapi,
    /// App.
    App,
}

/// An order placed with the sandbox, as the front-end check needs it.
#[derive(Debug, Clone)]
pub(crate) struct Order {
    pub(crate) kind: Kind,
    /// The app id the front end must sign: `appid`, or in partner mode `sub_appid` when
    /// given, else `sp_appid`.
    pub(crate) app_id: String,
}

/// Orders by prepay id, and prepay ids by merchant and `out_trade_no`.
#[derive(Default)]
pub(crate) struct Orders {
    by_prepay_id: Mutex<HashMap<String, Order>>,
    /// (merchant, out_trade_no) → (the request body, its prepay id).
    by_out_trade_no: Mutex<HashMap<(String, String), (Value, String)>>,
}

impl Orders {
    /// The order `prepay_id` was issued for.
    pub(crate) fn get(&self, prepay_id: &str) -> Option<Order> {
        lock(&self.by_prepay_id).get(prepay_id).cloned()
    }

    /// The prepay id for an order: the one issued before for the same merchant,
    /// `out_trade_no` and body, a new one for a new `out_trade_no`, an error for an
    /// `out_trade_no` already used with another body.
    fn place(&self, merchant: &str, body: &Value, order: Order) -> Result<String, SandboxResponse> {
        let out_trade_no = body["out_trade_no"].as_str().unwrap_or_default().to_owned();
        let mut by_out_trade_no = lock(&self.by_out_trade_no);
        if let Some((placed, prepay_id)) = by_out_trade_no.get(&(merchant.to_owned(), out_trade_no.clone())) {
            return if placed == body {
                Ok(prepay_id.clone())
            } else {
                Err(SandboxResponse::error(
                    StatusCode::BAD_REQUEST,
                    "INVALID_REQUEST",
                    format!("out_trade_no `{out_trade_no}` was already used for an order with other parameters"),
                ))
            };
        }
        let prepay_id = new_prepay_id();
        let mut by_prepay_id = lock(&self.by_prepay_id);
        if by_prepay_id.len() >= MAX_ORDERS {
            by_prepay_id.clear();
            by_out_trade_no.clear();
        }
        by_prepay_id.insert(prepay_id.clone(), order);
        by_out_trade_no.insert((merchant.to_owned(), out_trade_no), (body.clone(), prepay_id.clone()));
        Ok(prepay_id)
    }
}

pub(crate) fn register(router: &mut Router, orders: &Arc<Orders>) {
    for (path, prepay) in [
        ("v3/pay/transactions/jsapi", direct_jsapi as fn(&Orders, &SandboxRequest) -> SandboxResponse),
        ("v3/pay/transactions/app", direct_app),
        ("v3/pay/partner/transactions/jsapi", partner_jsapi),
    ] {
        let orders = orders.clone();
        router.add(Route::new(Method::POST, path, Arc::new(move |req| prepay(&orders, req))));
    }
}

/// `wx` + the time in Beijing as `yyyyMMddHHmmss` + 20 random hex digits: 36
/// characters, shaped like the gateway's.
fn new_prepay_id() -> String {
    let now = time::OffsetDateTime::now_utc().to_offset(time::macros::offset!(+8));
    let stamp =
        now.format(time::macros::format_description!("[year][month][day][hour][minute][second]")).unwrap_or_default();
    let mut rng = rand::rng();
    let random: String = (0..20).map(|_| char::from_digit(rng.random_range(0..16), 16).unwrap_or('0')).collect();
    format!("wx{stamp}{random}")
}

fn param_error(message: impl Into<String>) -> SandboxResponse {
    SandboxResponse::error(StatusCode::BAD_REQUEST, "PARAM_ERROR", message)
}

/// The non-empty string at `path` (`a.b` for a nested member), or `400 PARAM_ERROR`
/// naming it.
fn required<'a>(body: &'a Value, path: &str) -> Result<&'a str, SandboxResponse> {
    let value = path.split('.').try_fold(body, |value, key| value.get(key));
    match value {
        None | Some(Value::Null) => Err(param_error(format!("`{path}` is required"))),
        Some(Value::String(text)) if text.is_empty() => Err(param_error(format!("`{path}` must not be empty"))),
        Some(Value::String(text)) => Ok(text),
        Some(_) => Err(param_error(format!("`{path}` must be a string"))),
    }
}

/// The members every prepay call needs besides its merchant and app ids.
fn check_order(body: &Value) -> Result<(), SandboxResponse> {
    required(body, "description")?;
    let out_trade_no = required(body, "out_trade_no")?;
    let allowed = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'|' | b'*');
    if !(6..=32).contains(&out_trade_no.len()) || !out_trade_no.bytes().all(allowed) {
        return Err(param_error("`out_trade_no` must be 6 to 32 characters of [0-9A-Za-z_-|*]"));
    }
    let notify_url = required(body, "notify_url")?;
    if !notify_url.starts_with("https://") {
        return Err(param_error("`notify_url` must be an https:// URL"));
    }
    match body.get("amount").and_then(|a| a.get("total")) {
        None | Some(Value::Null) => return Err(param_error("`amount.total` is required")),
        Some(total) if total.as_u64().is_some_and(|t| t > 0) => {}
        Some(_) => return Err(param_error("`amount.total` must be a whole number of fen above 0")),
    }
    Ok(())
}

/// The merchant member must name the merchant that signed the request.
fn check_merchant(body: &Value, member: &str) -> Result<(), SandboxResponse> {
    let mchid = required(body, member)?;
    if mchid != MCHID {
        return Err(param_error(format!("`{member}` `{mchid}` is not the merchant that signed the request ({MCHID})")));
    }
    Ok(())
}

fn prepay_response(result: Result<String, SandboxResponse>) -> SandboxResponse {
    match result {
        Ok(prepay_id) => SandboxResponse::ok(json!({ "prepay_id": prepay_id })),
        Err(response) => response,
    }
}

fn direct(orders: &Orders, req: &SandboxRequest, kind: Kind) -> Result<String, SandboxResponse> {
    let body: Value = req.json()?;
    let app_id = required(&body, "appid")?;
    check_merchant(&body, "mchid")?;
    check_order(&body)?;
    if kind == Kind::Jsapi {
        required(&body, "payer.openid")?;
    }
    orders.place(MCHID, &body, Order { kind, app_id: app_id.to_owned() })
}

fn direct_jsapi(orders: &Orders, req: &SandboxRequest) -> SandboxResponse {
    prepay_response(direct(orders, req, Kind::Jsapi))
}

fn direct_app(orders: &Orders, req: &SandboxRequest) -> SandboxResponse {
    prepay_response(direct(orders, req, Kind::App))
}

fn partner_jsapi(orders: &Orders, req: &SandboxRequest) -> SandboxResponse {
    let placed = (|| {
        let body: Value = req.json()?;
        let sp_appid = required(&body, "sp_appid")?;
        check_merchant(&body, "sp_mchid")?;
        let sub_mchid = required(&body, "sub_mchid")?;
        check_order(&body)?;
        let sub_appid = body.get("sub_appid").and_then(Value::as_str).filter(|s| !s.is_empty());
        let payer = |key| body.get("payer").and_then(|p| p.get(key)).and_then(Value::as_str).filter(|s| !s.is_empty());
        match (payer("sp_openid"), payer("sub_openid")) {
            (None, None) => return Err(param_error("`payer.sp_openid` or `payer.sub_openid` is required")),
            (_, Some(_)) if sub_appid.is_none() => {
                return Err(param_error("`payer.sub_openid` needs `sub_appid`"));
            }
            _ => {}
        }
        let app_id = sub_appid.unwrap_or(sp_appid).to_owned();
        orders.place(sub_mchid, &body, Order { kind: Kind::Jsapi, app_id })
    })();
    prepay_response(placed)
}
