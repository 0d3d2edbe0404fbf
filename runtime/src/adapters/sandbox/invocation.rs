//! Front-end payment parameters checked the way WeChat's client checks them: the
//! members, their fixed values, the signature with the merchant public key, and the
//! prepay id against the orders the sandbox placed.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde::Serialize;
use serde_json::{Map, Value};

use super::transactions::{Kind, Orders};
use super::{MCHID, Sandbox};
use crate::crypto::VerifyingKey;
use crate::features::payment::{APP_PACKAGE, JSAPI_PACKAGE_PREFIX, MAX_NONCE_LEN, SIGN_TYPE};

/// Why the sandbox refused front-end payment parameters
/// ([`Sandbox::check_jsapi_payment`], [`Sandbox::check_app_payment`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PaymentCheckError {
    /// The payload is not a JSON object (JSON text must be parsed first, e.g. with
    /// `serde_json::from_str::<serde_json::Value>`).
    #[error("the payload is {0}, not a JSON object")]
    NotAnObject(&'static str),
    /// A member is missing. Member names are case-sensitive: `found` is a member
    /// whose name differs only in case, when there is one.
    #[error("member `{member}` is missing{}", .found.as_ref().map(|f| format!(" (the payload has `{f}`: member names are case-sensitive)")).unwrap_or_default())]
    Missing {
        /// The member.
        member: &'static str,
        /// A member of the payload whose name differs only in case.
        found: Option<String>,
    },
    /// A member is not a JSON string; every member is one, the timestamp too.
    #[error("member `{0}` is not a JSON string")]
    NotAString(&'static str),
    /// A member's value is not one the front end accepts.
    #[error("member `{member}` is invalid: {problem}")]
    Invalid {
        /// The member.
        member: &'static str,
        /// What is wrong with it.
        problem: String,
    },
    /// The signature does not verify with the merchant public key over the message
    /// rebuilt from the members: a member was changed after signing, the message was
    /// built wrong, or another key signed.
    #[error("`{member}` does not verify with the merchant public key over {message:?}")]
    BadSignature {
        /// The signature's member (`paySign` or `sign`).
        member: &'static str,
        /// The message the signature was checked over.
        message: String,
    },
    /// The prepay id was not issued by this sandbox, or for another kind of order.
    #[error("prepay id `{prepay_id}` {problem}")]
    PrepayId {
        /// The prepay id.
        prepay_id: String,
        /// What is wrong with it.
        problem: String,
    },
    /// The app id is not the one the order was placed with.
    #[error("member `{member}` is `{found}`, but the order was placed for app `{expected}`")]
    WrongAppId {
        /// The member (`appId` or `appid`).
        member: &'static str,
        /// The app id in the payload.
        found: String,
        /// The app id the order was placed with.
        expected: String,
    },
}

impl Sandbox {
    /// Checks the parameters a handler gives a JSAPI or mini-program front end, as
    /// WeChat's client would: the members `appId`, `timeStamp`, `nonceStr`, `package`,
    /// `signType`, `paySign` (case-sensitive, all strings); `package` =
    /// `prepay_id=<id>`; `signType` = `RSA`; `paySign` verifying with the merchant
    /// public key over `appId\ntimeStamp\nnonceStr\npackage\n`; then that the prepay id
    /// is one this sandbox issued for a JSAPI order placed for `appId`. Other members
    /// are ignored.
    ///
    /// `payload` is anything that serialises to the JSON the front end receives: a
    /// [`crate::payment::JsapiPayment`], a `serde_json::Value` parsed from a handler's
    /// response, your own type.
    ///
    /// # Errors
    ///
    /// A [`PaymentCheckError`] naming the first check that failed.
    pub fn check_jsapi_payment<T: Serialize + ?Sized>(&self, payload: &T) -> Result<(), PaymentCheckError> {
        let payload = object(payload)?;
        let member = |name| string_member(&payload, name);
        let (app_id, time_stamp, nonce_str) = (member("appId")?, member("timeStamp")?, member("nonceStr")?);
        let (package, sign_type, pay_sign) = (member("package")?, member("signType")?, member("paySign")?);
        if sign_type != SIGN_TYPE {
            return Err(invalid("signType", format!("it is `{sign_type}`; it must be `{SIGN_TYPE}`")));
        }
        let prepay_id = package
            .strip_prefix(JSAPI_PACKAGE_PREFIX)
            .filter(|id| !id.is_empty())
            .ok_or_else(|| invalid("package", format!("it must be `{JSAPI_PACKAGE_PREFIX}<prepay_id>`")))?;
        check_timestamp("timeStamp", time_stamp)?;
        check_nonce("nonceStr", nonce_str)?;
        check_signature(&self.state.merchant_key, "paySign", pay_sign, &[app_id, time_stamp, nonce_str, package])?;
        check_order(&self.state.orders, prepay_id, Kind::Jsapi, "appId", app_id)
    }

    /// Checks the parameters a handler gives an App front end, as WeChat's client
    /// would: the members `appid`, `partnerid`, `prepayid`, `package`, `noncestr`,
    /// `timestamp`, `sign` (all strings); `partnerid` = the sandbox merchant
    /// ([`MCHID`]); `package` = `Sign=WXPay`; `sign` verifying with the merchant public
    /// key over `appid\ntimestamp\nnoncestr\nprepayid\n`; then that `prepayid` is one
    /// this sandbox issued for an App order placed for `appid`. Other members are
    /// ignored.
    ///
    /// # Errors
    ///
    /// A [`PaymentCheckError`] naming the first check that failed.
    pub fn check_app_payment<T: Serialize + ?Sized>(&self, payload: &T) -> Result<(), PaymentCheckError> {
        let payload = object(payload)?;
        let member = |name| string_member(&payload, name);
        let (app_id, partner_id, prepay_id) = (member("appid")?, member("partnerid")?, member("prepayid")?);
        let (package, nonce_str, timestamp, sign) =
            (member("package")?, member("noncestr")?, member("timestamp")?, member("sign")?);
        if partner_id != MCHID {
            return Err(invalid("partnerid", format!("it is `{partner_id}`; the merchant is {MCHID}")));
        }
        if package != APP_PACKAGE {
            return Err(invalid("package", format!("it is `{package}`; it must be `{APP_PACKAGE}`")));
        }
        if prepay_id.starts_with(JSAPI_PACKAGE_PREFIX) {
            return Err(invalid(
                "prepayid",
                format!("it must be the prepay id alone, without `{JSAPI_PACKAGE_PREFIX}`"),
            ));
        }
        check_timestamp("timestamp", timestamp)?;
        check_nonce("noncestr", nonce_str)?;
        check_signature(&self.state.merchant_key, "sign", sign, &[app_id, timestamp, nonce_str, prepay_id])?;
        check_order(&self.state.orders, prepay_id, Kind::App, "appid", app_id)
    }
}

fn invalid(member: &'static str, problem: impl Into<String>) -> PaymentCheckError {
    PaymentCheckError::Invalid { member, problem: problem.into() }
}

fn object<T: Serialize + ?Sized>(payload: &T) -> Result<Map<String, Value>, PaymentCheckError> {
    match serde_json::to_value(payload) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(Value::String(_)) => Err(PaymentCheckError::NotAnObject("a JSON string")),
        Ok(_) => Err(PaymentCheckError::NotAnObject("another JSON value")),
        Err(_) => Err(PaymentCheckError::NotAnObject("not serialisable to JSON")),
    }
}

fn string_member<'a>(payload: &'a Map<String, Value>, member: &'static str) -> Result<&'a str, PaymentCheckError> {
    match payload.get(member) {
        Some(Value::String(text)) => Ok(text),
        Some(_) => Err(PaymentCheckError::NotAString(member)),
        None => Err(PaymentCheckError::Missing {
            member,
            found: payload.keys().find(|k| k.eq_ignore_ascii_case(member)).cloned(),
        }),
    }
}

fn check_timestamp(member: &'static str, value: &str) -> Result<(), PaymentCheckError> {
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid(member, format!("`{value}` is not Unix seconds in decimal")));
    }
    Ok(())
}

fn check_nonce(member: &'static str, value: &str) -> Result<(), PaymentCheckError> {
    if value.is_empty() || value.chars().count() > MAX_NONCE_LEN {
        return Err(invalid(member, format!("it must be 1 to {MAX_NONCE_LEN} characters")));
    }
    Ok(())
}

fn check_signature(
    key: &VerifyingKey,
    member: &'static str,
    signature: &str,
    lines: &[&str],
) -> Result<(), PaymentCheckError> {
    let signature = BASE64.decode(signature).map_err(|_| invalid(member, "it is not standard base64"))?;
    let message: String = lines.iter().flat_map(|line| [*line, "\n"]).collect();
    key.verify(message.as_bytes(), &signature).map_err(|_| PaymentCheckError::BadSignature { member, message })
}

fn check_order(
    orders: &Orders,
    prepay_id: &str,
    kind: Kind,
    app_member: &'static str,
    app_id: &str,
) -> Result<(), PaymentCheckError> {
    let prepay_error = |problem: String| PaymentCheckError::PrepayId { prepay_id: prepay_id.to_owned(), problem };
    let order = orders.get(prepay_id).ok_or_else(|| prepay_error("was not issued by this sandbox".into()))?;
    if order.kind != kind {
        return Err(prepay_error(
            match order.kind {
                Kind::Jsapi => "was issued for a JSAPI order; an App cannot pay it",
                Kind::App => "was issued for an App order; a JSAPI or mini-program front end cannot pay it",
            }
            .into(),
        ));
    }
    if order.app_id != app_id {
        return Err(PaymentCheckError::WrongAppId {
            member: app_member,
            found: app_id.to_owned(),
            expected: order.app_id,
        });
    }
    Ok(())
}
