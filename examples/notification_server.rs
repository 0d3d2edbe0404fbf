//! An axum server that receives payment-success callbacks, verifies and decrypts them,
//! prints them and acknowledges.
//!
//! With no `WECHATPAY_MCHID` set it starts the offline sandbox, which sends one
//! payment-success callback and one signature probe (refused) to the server, then exits.
//! With the `WECHATPAY_*` variables set (including `WECHATPAY_APIV3_KEY`) it serves
//! `POST /wechatpay/notify` on `WECHATPAY_NOTIFY_ADDR` (default `127.0.0.1:8080`) until
//! stopped.
//!
//! ```text
//! cargo run --example notification_server
//! ```

use std::process::ExitCode;

use axum::Router;
use axum::routing::post;
use serde::{Deserialize, Serialize};
use wechat_endpoint::axum::WechatPayNotification;
use wechat_endpoint::notify::Ack;
use wechat_endpoint::sandbox::{Sandbox, SandboxNotification};
use wechat_endpoint::{Client, ClientBuilder};

/// The fields of a payment this server uses; the rest are ignored.
#[derive(Debug, Serialize, Deserialize)]
struct Transaction {
    out_trade_no: String,
    transaction_id: String,
    trade_state: String,
    amount: Amount,
}

#[derive(Debug, Serialize, Deserialize)]
struct Amount {
    total: u64,
    currency: String,
}

/// Handlers must be idempotent: the gateway resends a callback until it is
/// acknowledged, with the same `id`.
async fn payment_notified(WechatPayNotification(notification): WechatPayNotification<Transaction>) -> Ack {
    println!(
        "callback {} ({}, signature verified, resource decrypted):\n{}",
        notification.id,
        notification.event_type,
        serde_json::to_string_pretty(&notification.resource).unwrap_or_default()
    );
    Ack
}

fn app(client: Client) -> Router {
    Router::new().route("/wechatpay/notify", post(payment_notified)).with_state(client)
}

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
    if std::env::var_os(wechat_endpoint::env::MCHID).is_some() {
        let client = ClientBuilder::from_env()?.build()?;
        let addr = std::env::var("WECHATPAY_NOTIFY_ADDR").unwrap_or_else(|_| "127.0.0.1:8080".into());
        let listener = tokio::net::TcpListener::bind(&addr).await?;
        eprintln!("serving POST /wechatpay/notify on {addr}");
        axum::serve(listener, app(client)).await?;
        return Ok(());
    }

    let sandbox = Sandbox::start()?;
    eprintln!("WECHATPAY_MCHID is not set: the offline sandbox at {} sends the callbacks", sandbox.base_url());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/wechatpay/notify", listener.local_addr()?);
    let server = tokio::spawn(axum::serve(listener, app(sandbox.client()?)).into_future());

    let payment = SandboxNotification::payment_success("1217752501201407033233368018", 100);
    let delivered = sandbox.deliver(&url, &payment).await?;
    println!("the server responded to the callback with {}", delivered.status);
    let probe = sandbox.deliver_probe(&url, &payment).await?;
    println!(
        "the server responded to a WECHATPAY/SIGNTEST/ probe with {} {}",
        probe.status,
        String::from_utf8_lossy(&probe.body)
    );
    server.abort();
    if !delivered.acknowledged() || probe.acknowledged() {
        return Err("the callback was not acknowledged, or the probe was".into());
    }
    Ok(())
}
