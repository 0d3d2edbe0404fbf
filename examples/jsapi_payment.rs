//! JSAPI下单 and 调起支付: places a JSAPI order, signs the parameters the front end hands
//! to WeChat (`WeixinJSBridge` `getBrandWCPayRequest`, or `wx.requestPayment` in a mini
//! program) from the order's `prepay_id`, prints them as the front end receives them,
//! and has the sandbox check them the way WeChat's client would.
//!
//! With no `WECHATPAY_MCHID` set it runs against the offline sandbox. With the
//! `WECHATPAY_*` variables set (see the README) it places a real order of 0.01 CNY and
//! also needs `WECHATPAY_APPID` (the app the order is for), `WECHATPAY_PAYER_OPENID`
//! (the payer's openid under that app) and `WECHATPAY_NOTIFY_URL` (an https URL).
//!
//! ```text
//! cargo run --example jsapi_payment
//! ```

use std::process::ExitCode;

use serde::{Deserialize, Serialize};
use wechat_endpoint::sandbox::Sandbox;
use wechat_endpoint::{Client, ClientBuilder, wechat_endpoint};

/// The order's amount, in fen.
#[derive(Debug, Serialize)]
pub struct Amount {
    pub total: u64,
    pub currency: String,
}

/// Who pays: their openid under `appid`.
#[derive(Debug, Serialize)]
pub struct Payer {
    pub openid: String,
}

/// The response of a prepay call.
#[derive(Debug, Deserialize)]
pub struct Prepay {
    pub prepay_id: String,
}

/// `POST v3/pay/transactions/jsapi`: JSAPI/小程序下单.
#[wechat_endpoint(POST, "v3/pay/transactions/jsapi", response = Prepay)]
pub struct JsapiOrder {
    pub appid: String,
    pub mchid: String,
    pub description: String,
    pub out_trade_no: String,
    pub notify_url: String,
    pub amount: Amount,
    pub payer: Payer,
}

/// What the order is for when it runs against the sandbox.
const SANDBOX_APPID: &str = "wxd678efh567hg6787";
const SANDBOX_OPENID: &str = "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o";
const SANDBOX_NOTIFY_URL: &str = "https://www.example.com/wechatpay/notify";

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {}", wechat_endpoint::error_chain(&*error));
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    // Keeps the sandbox running until the end of `run`.
    let (client, sandbox) = client()?;
    let (appid, openid, notify_url) = match &sandbox {
        Some(_) => (SANDBOX_APPID.to_owned(), SANDBOX_OPENID.to_owned(), SANDBOX_NOTIFY_URL.to_owned()),
        None => (required("WECHATPAY_APPID")?, required("WECHATPAY_PAYER_OPENID")?, required("WECHATPAY_NOTIFY_URL")?),
    };
    let out_trade_no = format!("example{}", &wechat_endpoint::signing::nonce()[..20]);

    let order = client
        .send(&JsapiOrder {
            appid: appid.clone(),
            mchid: client.mchid().to_owned(),
            description: "wechat-endpoint example".into(),
            out_trade_no: out_trade_no.clone(),
            notify_url,
            amount: Amount { total: 1, currency: "CNY".into() },
            payer: Payer { openid },
        })
        .await?;
    println!("order {out_trade_no} placed (signature verified): prepay_id {}", order.prepay_id);

    // What the handler returns to the front end: signed with the merchant key, never sent
    // to WeChat Pay by the server.
    let payment = client.jsapi_payment(&appid, &order.prepay_id)?;
    println!("the front end receives:\n{}", serde_json::to_string_pretty(&payment)?);

    match &sandbox {
        Some(sandbox) => {
            sandbox.check_jsapi_payment(&payment)?;
            println!("the sandbox checked it as WeChat's client would: paySign verifies, the order is known");
        }
        None => println!("pass it to WeixinJSBridge.invoke('getBrandWCPayRequest', …) or wx.requestPayment(…)"),
    }
    Ok(())
}

/// The configured client, or a sandbox and a client for it when no credentials are set.
fn client() -> Result<(Client, Option<Sandbox>), Box<dyn std::error::Error>> {
    if std::env::var_os(wechat_endpoint::env::MCHID).is_some() {
        let client = ClientBuilder::from_env()?.user_agent_suffix("jsapi-payment-example").build()?;
        eprintln!("calling the configured host as merchant {}", client.mchid());
        return Ok((client, None));
    }
    let sandbox = Sandbox::start()?;
    eprintln!("WECHATPAY_MCHID is not set: using the offline sandbox at {}", sandbox.base_url());
    Ok((sandbox.client()?, Some(sandbox)))
}

fn required(name: &str) -> Result<String, Box<dyn std::error::Error>> {
    std::env::var(name).map_err(|_| format!("{name} is required when WECHATPAY_MCHID is set").into())
}
