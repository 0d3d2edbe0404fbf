//! Front-end payment invocation (调起支付): the parameters a merchant's server signs and
//! hands to the front end once a prepay call returned `prepay_id`.
//!
//! The front end never holds the merchant key; it passes these members unchanged to
//! WeChat, which checks the signature with the merchant's public key.
//!
//! | front end | type | members | signed message |
//! | --- | --- | --- | --- |
//! | JSAPI (WeixinJSBridge `getBrandWCPayRequest`), mini program (`wx.requestPayment`) | [`JsapiPayment`] | `appId`, `timeStamp`, `nonceStr`, `package` = `prepay_id=<id>`, `signType` = `RSA`, `paySign` | `appId\ntimeStamp\nnonceStr\npackage\n` |
//! | App SDK (`PayReq`) | [`AppPayment`] | `appid`, `partnerid`, `prepayid`, `package` = `Sign=WXPay`, `noncestr`, `timestamp`, `sign` | `appid\ntimestamp\nnoncestr\nprepayid\n` |
//!
//! Each signature is SHA256withRSA with the merchant key, in standard base64. Both
//! types serialise to exactly these members, in this order, every value a string, so a
//! handler can return one as JSON unchanged. H5 (`h5_url`) and Native (`code_url`)
//! payments need no front-end signature. Source: the WeChat Pay APIv3 documentation,
//! "JSAPI调起支付", "小程序调起支付" and "APP调起支付".
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let sandbox = wechat_endpoint::sandbox::Sandbox::start()?;
//! let client = sandbox.client()?;
//! // `prepay_id` as returned by `POST v3/pay/transactions/jsapi`.
//! let payment = client.jsapi_payment("wxd678efh567hg6787", "wx201410272009395522657a690389285100")?;
//! assert_eq!(payment.package(), "prepay_id=wx201410272009395522657a690389285100");
//! let json = serde_json::to_string(&payment)?;
//! assert!(json.starts_with(r#"{"appId":"wxd678efh567hg6787","timeStamp":""#));
//! # Ok(()) }
//! ```

use serde::Serialize;

use crate::crypto::signing::{self, MerchantSigner};
use crate::pipeline::client::Client;
use crate::pipeline::error::{BuildError, Error};

/// The prefix of a JSAPI `package`: `prepay_id=<prepay_id>`.
pub const JSAPI_PACKAGE_PREFIX: &str = "prepay_id=";
/// The `package` of every App payment.
pub const APP_PACKAGE: &str = "Sign=WXPay";
/// The `signType` of every JSAPI payment: SHA256withRSA.
pub const SIGN_TYPE: &str = "RSA";
/// The longest nonce the front end accepts, in characters.
pub const MAX_NONCE_LEN: usize = 32;

/// The parameters of a JSAPI or mini-program payment, signed: what
/// `WeixinJSBridge.invoke("getBrandWCPayRequest", …)` and `wx.requestPayment(…)` take.
///
/// Serialises to `{"appId","timeStamp","nonceStr","package","signType","paySign"}`, in
/// this order, every value a string (`timeStamp` too). `wx.requestPayment` ignores
/// `appId`, which is signed all the same. Made by [`Client::jsapi_payment`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JsapiPayment {
    app_id: String,
    time_stamp: String,
    nonce_str: String,
    package: String,
    sign_type: &'static str,
    pay_sign: String,
}

impl JsapiPayment {
    /// `appId`: the app id the order was placed with (in partner mode the sub app id
    /// when the order gave one, else the service provider's).
    pub fn app_id(&self) -> &str {
        &self.app_id
    }

    /// `timeStamp`: Unix seconds, in decimal.
    pub fn time_stamp(&self) -> &str {
        &self.time_stamp
    }

    /// `nonceStr`: at most 32 characters of `[0-9A-Za-z]`.
    pub fn nonce_str(&self) -> &str {
        &self.nonce_str
    }

    /// `package`: `prepay_id=<prepay_id>`.
    pub fn package(&self) -> &str {
        &self.package
    }

    /// The prepay id inside [`package`](Self::package).
    pub fn prepay_id(&self) -> &str {
        &self.package[JSAPI_PACKAGE_PREFIX.len()..]
    }

    /// `signType`: always [`SIGN_TYPE`] (`RSA`).
    pub fn sign_type(&self) -> &str {
        self.sign_type
    }

    /// `paySign`: base64 SHA256withRSA over `appId\ntimeStamp\nnonceStr\npackage\n`.
    pub fn pay_sign(&self) -> &str {
        &self.pay_sign
    }
}

/// The parameters of an App payment, signed: what the App SDK's `PayReq` takes.
///
/// Serialises to `{"appid","partnerid","prepayid","package","noncestr","timestamp","sign"}`,
/// in this order, every value a string. Made by [`Client::app_payment`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AppPayment {
    appid: String,
    partnerid: String,
    prepayid: String,
    package: &'static str,
    noncestr: String,
    timestamp: String,
    sign: String,
}

impl AppPayment {
    /// `appid`: the mobile app's id the order was placed with.
    pub fn app_id(&self) -> &str {
        &self.appid
    }

    /// `partnerid`: the merchant id of the client that signed.
    pub fn partner_id(&self) -> &str {
        &self.partnerid
    }

    /// `prepayid`: the prepay id, without any prefix.
    pub fn prepay_id(&self) -> &str {
        &self.prepayid
    }

    /// `package`: always [`APP_PACKAGE`] (`Sign=WXPay`).
    pub fn package(&self) -> &str {
        self.package
    }

    /// `noncestr`: at most 32 characters of `[0-9A-Za-z]`.
    pub fn nonce_str(&self) -> &str {
        &self.noncestr
    }

    /// `timestamp`: Unix seconds, in decimal.
    pub fn timestamp(&self) -> &str {
        &self.timestamp
    }

    /// `sign`: base64 SHA256withRSA over `appid\ntimestamp\nnoncestr\nprepayid\n`.
    pub fn sign(&self) -> &str {
        &self.sign
    }
}

impl Client {
    /// Signs the parameters of a JSAPI or mini-program payment for the order whose
    /// prepay call returned `prepay_id`, with a fresh timestamp and a fresh 32-character
    /// nonce from the CSPRNG, with the merchant key this client holds.
    ///
    /// `app_id` is the app id the order was placed with (in partner mode the sub app id
    /// when the order gave one); `prepay_id` is the id alone, without `prepay_id=`.
    ///
    /// # Errors
    ///
    /// [`Error::Build`] with [`BuildError::PaymentParameter`] naming `appId` or
    /// `prepay_id` when the value is empty, holds a control character (a newline would
    /// change the signed message) or whitespace, or when `prepay_id` already starts with
    /// `prepay_id=`; [`Error::Sign`] when the crypto library fails to sign.
    pub fn jsapi_payment(&self, app_id: &str, prepay_id: &str) -> Result<JsapiPayment, Error> {
        self.jsapi_payment_at(app_id, prepay_id, signing::unix_now(), &signing::nonce())
    }

    /// [`jsapi_payment`](Self::jsapi_payment) at a given `timestamp` (Unix seconds) and
    /// `nonce`: for tests against fixed cases. Anything else should let the client pick
    /// both.
    ///
    /// # Errors
    ///
    /// As [`jsapi_payment`](Self::jsapi_payment), and [`BuildError::PaymentParameter`]
    /// naming `timeStamp` for a negative timestamp or `nonceStr` for a nonce that is
    /// empty, longer than 32 characters or not all `[0-9A-Za-z]`.
    pub fn jsapi_payment_at(
        &self,
        app_id: &str,
        prepay_id: &str,
        timestamp: i64,
        nonce: &str,
    ) -> Result<JsapiPayment, Error> {
        sign_jsapi(self.signer(), app_id, prepay_id, timestamp, nonce)
    }

    /// Signs the parameters of an App payment for the order whose prepay call
    /// (`POST v3/pay/transactions/app`) returned `prepay_id`, with a fresh timestamp and
    /// a fresh 32-character nonce from the CSPRNG, with the merchant key this client
    /// holds. `partnerid` is this client's merchant id.
    ///
    /// # Errors
    ///
    /// [`Error::Build`] with [`BuildError::PaymentParameter`] naming `appid` or
    /// `prepayid` when the value is empty, holds a control character (a newline would
    /// change the signed message) or whitespace, or when `prepay_id` starts with
    /// `prepay_id=`; [`Error::Sign`] when the crypto library fails to sign.
    pub fn app_payment(&self, app_id: &str, prepay_id: &str) -> Result<AppPayment, Error> {
        self.app_payment_at(app_id, prepay_id, signing::unix_now(), &signing::nonce())
    }

    /// [`app_payment`](Self::app_payment) at a given `timestamp` (Unix seconds) and
    /// `nonce`: for tests against fixed cases.
    ///
    /// # Errors
    ///
    /// As [`app_payment`](Self::app_payment), and [`BuildError::PaymentParameter`]
    /// naming `timestamp` for a negative timestamp or `noncestr` for a nonce that is
    /// empty, longer than 32 characters or not all `[0-9A-Za-z]`.
    pub fn app_payment_at(
        &self,
        app_id: &str,
        prepay_id: &str,
        timestamp: i64,
        nonce: &str,
    ) -> Result<AppPayment, Error> {
        sign_app(self.signer(), app_id, prepay_id, timestamp, nonce)
    }
}

fn sign_jsapi(
    signer: &MerchantSigner,
    app_id: &str,
    prepay_id: &str,
    timestamp: i64,
    nonce: &str,
) -> Result<JsapiPayment, Error> {
    check_id("appId", app_id)?;
    check_prepay_id("prepay_id", prepay_id)?;
    let time_stamp = check_timestamp("timeStamp", timestamp)?;
    check_nonce("nonceStr", nonce)?;
    let package = format!("{JSAPI_PACKAGE_PREFIX}{prepay_id}");
    let pay_sign = signer.sign_base64(&message(&[app_id, &time_stamp, nonce, &package])).map_err(Error::Sign)?;
    Ok(JsapiPayment {
        app_id: app_id.to_owned(),
        time_stamp,
        nonce_str: nonce.to_owned(),
        package,
        sign_type: SIGN_TYPE,
        pay_sign,
    })
}

fn sign_app(
    signer: &MerchantSigner,
    app_id: &str,
    prepay_id: &str,
    timestamp: i64,
    nonce: &str,
) -> Result<AppPayment, Error> {
    check_id("appid", app_id)?;
    check_prepay_id("prepayid", prepay_id)?;
    let timestamp = check_timestamp("timestamp", timestamp)?;
    check_nonce("noncestr", nonce)?;
    let sign = signer.sign_base64(&message(&[app_id, &timestamp, nonce, prepay_id])).map_err(Error::Sign)?;
    Ok(AppPayment {
        appid: app_id.to_owned(),
        partnerid: signer.mchid().to_owned(),
        prepayid: prepay_id.to_owned(),
        package: APP_PACKAGE,
        noncestr: nonce.to_owned(),
        timestamp,
        sign,
    })
}

/// The signed message: each line followed by `\n`, the last one too.
fn message(lines: &[&str]) -> Vec<u8> {
    let mut out = Vec::with_capacity(lines.iter().map(|l| l.len() + 1).sum());
    for line in lines {
        out.extend_from_slice(line.as_bytes());
        out.push(b'\n');
    }
    out
}

fn refuse(member: &'static str, problem: &'static str) -> Error {
    Error::Build(BuildError::PaymentParameter { member, problem })
}

/// An app id or prepay id: one line of visible text, which no id lacks.
fn check_id(member: &'static str, value: &str) -> Result<(), Error> {
    if value.is_empty() {
        return Err(refuse(member, "it is empty"));
    }
    if value.chars().any(char::is_control) {
        return Err(refuse(member, "it holds a control character; a newline would change the signed message"));
    }
    if value.chars().any(char::is_whitespace) {
        return Err(refuse(member, "it holds whitespace, which no id holds"));
    }
    Ok(())
}

fn check_prepay_id(member: &'static str, value: &str) -> Result<(), Error> {
    check_id(member, value)?;
    if value.starts_with(JSAPI_PACKAGE_PREFIX) {
        return Err(refuse(member, "it starts with `prepay_id=`; pass the id alone, as the prepay call returned it"));
    }
    Ok(())
}

fn check_timestamp(member: &'static str, timestamp: i64) -> Result<String, Error> {
    if timestamp < 0 {
        return Err(refuse(member, "it is negative; Unix seconds are expected"));
    }
    Ok(timestamp.to_string())
}

fn check_nonce(member: &'static str, nonce: &str) -> Result<(), Error> {
    if nonce.is_empty() {
        return Err(refuse(member, "it is empty"));
    }
    if !nonce.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(refuse(member, "it holds a character outside [0-9A-Za-z]"));
    }
    if nonce.len() > MAX_NONCE_LEN {
        return Err(refuse(member, "it is longer than 32 characters"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_ends_every_line_with_a_newline() {
        assert_eq!(message(&["a", "1", "N", "prepay_id=x"]), b"a\n1\nN\nprepay_id=x\n");
    }
}
