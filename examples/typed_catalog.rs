//! Three operations of three business groups called through their typed endpoints
//! (`wechat_endpoint::apis`, feature `apis`): 批次取消关联门店 (the seed operation),
//! JSAPI下单, and 添加分账接收方 with its sensitive `name`, against the offline sandbox.
//!
//! ```text
//! cargo run --example typed_catalog --features apis
//! ```

use std::process::ExitCode;

use wechat_endpoint::apis::marketing::partner::product_coupon::product_coupons::stocks::{
    DisassociateStores, DisassociateStoresStoreList,
};
use wechat_endpoint::apis::pay::transactions::{Jsapi, JsapiAmount, JsapiPayer};
use wechat_endpoint::apis::profitsharing::receivers::{Add, AddRelationType, AddType};
use wechat_endpoint::sandbox::{MCHID, Sandbox};

#[tokio::main(flavor = "current_thread")]
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
    let sandbox = Sandbox::start()?;
    let client = sandbox.client()?;

    // 批次取消关联门店: the path values first, then the required body members.
    let request = DisassociateStores::new(
        "1000000013",
        "1000000013001",
        "120344",
        vec![DisassociateStoresStoreList::new("100000001")],
    );
    let response = client.send(&request).await?;
    println!("disassociate-stores: total_count {}", response.total_count);

    // JSAPI下单: nested required members are built with their own `new`; optional ones
    // are set on the fields.
    let mut order = Jsapi::new(
        "wxd678efh567hg6787",
        MCHID,
        "沙箱商品",
        "1217752501201407033233368018",
        JsapiAmount::new(100),
        "https://www.weixin.qq.com/wxpay/pay.php",
        JsapiPayer::new("oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"),
    );
    order.attach = Some("order-note".into());
    order.amount.currency = Some("CNY".into());
    let prepay = client.send(&order).await?;
    println!("jsapi: prepay_id {}", prepay.prepay_id);

    // 添加分账接收方: `name` is `Sensitive`, encrypted by the client before signing.
    let mut receiver = Add::new(
        "wx8888888888888888",
        AddType::PersonalOpenid,
        "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o",
        AddRelationType::Partner,
    );
    receiver.name = Some("张三".into());
    let added = client.send(&receiver).await?;
    println!("receivers/add: account {}", added.account);
    Ok(())
}
