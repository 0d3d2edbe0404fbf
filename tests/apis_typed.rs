//! Ten typed endpoints compared by hand with the specification (wechatpay-openapi's YAML
//! for each path, read member by member): the members, where each goes, its Rust type,
//! which are required (the arguments of `new`) and the enum values. Each test states
//! the specification's facts and fails when the generated type disagrees.
#![cfg(feature = "apis")]

use serde_json::json;
use wechat_endpoint::apis;
use wechat_endpoint::catalog::{Method, find};
use wechat_endpoint::media::MediaFile;
use wechat_endpoint::sensitive::{Ciphertext, Sensitive};
use wechat_endpoint::{Endpoint, TargetWriter};

/// The catalog names `T` for `method path`.
fn named<T>(method: Method, path: &str) {
    let op = find(method, path).unwrap_or_else(|| panic!("{method} {path} is not in the catalog"));
    assert_eq!(op.rust_path, std::any::type_name::<T>(), "{method} {path}");
}

fn target<E: Endpoint>(request: &E) -> String {
    let mut target = String::new();
    request.write_target(&mut TargetWriter::new(&mut target, "/")).unwrap();
    target
}

fn body<E: Endpoint>(request: &E) -> serde_json::Value {
    let mut body = Vec::new();
    request.write_body(&mut body).unwrap();
    serde_json::from_slice(&body).unwrap()
}

fn known<T: Clone>(values: &[T], text: impl Fn(&T) -> &str) -> Vec<String> {
    values.iter().map(|v| text(v).to_owned()).collect()
}

/// 批次取消关联门店, the seed: path `product_coupon_id`, `stock_id`; body `brand_id`,
/// `store_list` (array of `{store_id}`), all required; response `total_count` (integer,
/// required), `success_store_list`, `failed_store_list` (optional arrays).
#[test]
fn seed_disassociate_stores() {
    use apis::marketing::partner::product_coupon::product_coupons::stocks::*;
    named::<DisassociateStores>(
        Method::Post,
        "v3/marketing/partner/product-coupon/product-coupons/{product_coupon_id}/stocks/{stock_id}/disassociate-stores",
    );
    let request = DisassociateStores::new(
        "1000000013",
        "1000000013001",
        "120344",
        vec![DisassociateStoresStoreList::new("100000001")],
    );
    assert_eq!(
        target(&request),
        "/v3/marketing/partner/product-coupon/product-coupons/1000000013/stocks/1000000013001/disassociate-stores"
    );
    assert_eq!(body(&request), json!({ "brand_id": "120344", "store_list": [{ "store_id": "100000001" }] }));
    let response: DisassociateStoresResponse = serde_json::from_value(json!({
        "total_count": 1,
        "failed_store_list": [{ "store_id": "1", "code": "C", "message": "m" }],
        "a_member_added_later": true,
    }))
    .unwrap();
    let total: i64 = response.total_count;
    assert_eq!(total, 1);
    assert!(response.success_store_list.is_none());
    let failed: &DisassociateStoresResponseFailedStoreList = &response.failed_store_list.unwrap()[0];
    assert_eq!((failed.code.as_str(), failed.message.as_str()), ("C", "m"));
}

/// 查询批次关联门店列表, a GET with query members: `page_size` (integer), `page_token`
/// (string), optional; `brand_id` required; in that order.
#[test]
fn get_with_query_members() {
    use apis::marketing::partner::product_coupon::product_coupons::stocks::*;
    named::<GetAssociatedStores>(
        Method::Get,
        "v3/marketing/partner/product-coupon/product-coupons/{product_coupon_id}/stocks/{stock_id}/associated-stores",
    );
    let mut request = GetAssociatedStores::new("1000000013", "1000000013001", "120344");
    assert!(target(&request).ends_with("/associated-stores?brand_id=120344"));
    request.page_size = Some(10_i64);
    request.page_token = Some(String::from("t"));
    assert!(target(&request).ends_with("/associated-stores?page_size=10&page_token=t&brand_id=120344"));
    let mut body = Vec::new();
    request.write_body(&mut body).unwrap();
    assert!(body.is_empty(), "a GET sends no body");
}

/// JSAPI下单: required `appid`, `mchid`, `description`, `out_trade_no`, `notify_url`,
/// `amount` (`total` integer required, `currency` optional), `payer` (`openid`
/// required); optional `attach`, `time_expire`, `goods_tag`, `limit_pay`,
/// `support_fapiao`, `detail` (`goods_detail` array of objects with `merchant_goods_id`,
/// `quantity`, `unit_price` required), `scene_info` (nothing required), `settle_info`.
#[test]
fn jsapi_deep_nested_body() {
    use apis::pay::transactions::*;
    named::<Jsapi>(Method::Post, "v3/pay/transactions/jsapi");
    let mut order = Jsapi::new(
        "wxd678efh567hg6787",
        "1230000109",
        "沙箱商品",
        "1217752501201407033233368018",
        JsapiAmount::new(100),
        "https://www.weixin.qq.com/wxpay/pay.php",
        JsapiPayer::new("oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"),
    );
    assert_eq!(
        body(&order),
        json!({
            "appid": "wxd678efh567hg6787",
            "mchid": "1230000109",
            "description": "沙箱商品",
            "out_trade_no": "1217752501201407033233368018",
            "amount": { "total": 100 },
            "notify_url": "https://www.weixin.qq.com/wxpay/pay.php",
            "payer": { "openid": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o" },
        })
    );
    order.amount.currency = Some("CNY".to_owned());
    order.support_fapiao = Some(true);
    let mut detail = JsapiDetail::new();
    detail.cost_price = Some(4200_i64);
    detail.goods_detail = Some(vec![JsapiDetailGoodsDetail::new("GOODS-0001", 1, 2100)]);
    order.detail = Some(detail);
    // The specification's `SceneInfo` requires nothing (its `StoreInfo` does).
    let mut scene = JsapiSceneInfo::new();
    scene.payer_client_ip = Some("192.0.2.10".into());
    order.scene_info = Some(scene);
    let sent = body(&order);
    assert_eq!(sent["amount"], json!({ "total": 100, "currency": "CNY" }));
    assert_eq!(
        sent["detail"]["goods_detail"][0],
        json!({ "merchant_goods_id": "GOODS-0001", "quantity": 1, "unit_price": 2100 })
    );
    assert_eq!(sent["scene_info"], json!({ "payer_client_ip": "192.0.2.10" }));
    let response: JsapiResponse = serde_json::from_value(json!({ "prepay_id": "wx2014" })).unwrap();
    assert_eq!(response.prepay_id, "wx2014");
}

/// 添加分账接收方: `name` is sensitive (`format: base64`), optional; `type` an enum of
/// three values, `relation_type` of eleven; the response's `name` is ciphertext.
#[test]
fn profitsharing_receiver_with_a_sensitive_member() {
    use apis::profitsharing::receivers::*;
    named::<Add>(Method::Post, "v3/profitsharing/receivers/add");
    let mut receiver = Add::new("wx8888888888888888", AddType::PersonalOpenid, "openid", AddRelationType::Partner);
    assert_eq!(body(&receiver)["type"], "PERSONAL_OPENID");
    assert_eq!(known(AddType::KNOWN, AddType::as_str), ["MERCHANT_ID", "PERSONAL_OPENID", "PERSONAL_SUB_OPENID"]);
    assert_eq!(
        known(AddRelationType::KNOWN, AddRelationType::as_str),
        [
            "SERVICE_PROVIDER",
            "STORE",
            "STAFF",
            "STORE_OWNER",
            "PARTNER",
            "HEADQUARTER",
            "BRAND",
            "DISTRIBUTOR",
            "USER",
            "SUPPLIER",
            "CUSTOM"
        ]
    );
    let name: Option<Sensitive> = Some("张三".into());
    receiver.name = name;
    // Outside a client call there is no key: an error, never plaintext.
    assert!(receiver.write_body(&mut Vec::new()).is_err());
    let response: AddResponse = serde_json::from_value(json!({
        "type": "A_NEW_TYPE", "account": "openid", "name": "c2VjcmV0", "relation_type": "PARTNER",
    }))
    .unwrap();
    assert_eq!(response.type_, AddResponseType::Other("A_NEW_TYPE".into()));
    let name: Ciphertext = response.name.unwrap();
    assert_eq!(name.as_str(), "c2VjcmV0");
    assert_eq!(format!("{name:?}"), "Ciphertext(8 bytes)");
}

/// 关闭订单 (Hong Kong): responds `204 No Content`, so `Response = ()`.
#[test]
fn an_operation_responding_204() {
    use apis::hk_v3::transactions::id::Close;
    named::<Close>(Method::Post, "hk/v3/transactions/id/{transaction_id}/close");
    fn no_content<E: Endpoint<Response = ()>>(_: &E) {}
    let close = Close::new("4200000985202103031441826014", "1230000109");
    no_content(&close);
    assert_eq!(body(&close), json!({ "mchid": "1230000109" }));
}

/// 微信支付订单号查询订单: path `transaction_id`, query `mchid` required; the response's
/// `trade_type` and `trade_state` are optional enums.
#[test]
fn query_an_order_by_transaction_id() {
    use apis::pay::transactions::*;
    named::<GetIdByTransactionId>(Method::Get, "v3/pay/transactions/id/{transaction_id}");
    let query = GetIdByTransactionId::new("4200000985202103031441826014", "1230000109");
    assert_eq!(target(&query), "/v3/pay/transactions/id/4200000985202103031441826014?mchid=1230000109");
    // The specification builds this response from `TransactionBase` (`allOf`), whose
    // `description`, `notify_url` and `amount` are required.
    let response: GetIdByTransactionIdResponse = serde_json::from_value(json!({
        "appid": "a", "mchid": "m", "description": "d", "out_trade_no": "o", "notify_url": "https://n",
        "amount": { "total": 1 }, "trade_type": "JSAPI", "trade_state": "SUCCESS",
    }))
    .unwrap();
    assert_eq!(response.trade_type, Some(GetIdByTransactionIdResponseTradeType::Jsapi));
    assert_eq!(response.trade_state, Some(GetIdByTransactionIdResponseTradeState::Success));
}

/// 申请交易账单: query `bill_date` required; `sub_mchid`, `bill_type` (enum), `tar_type`
/// (enum `GZIP`) optional.
#[test]
fn trade_bill_query_enums() {
    use apis::bill::*;
    named::<GetTradebill>(Method::Get, "v3/bill/tradebill");
    let mut bill = GetTradebill::new("2026-01-01");
    bill.tar_type = Some(GetTradebillTarType::Gzip);
    bill.bill_type = Some(GetTradebillBillType::from("SUCCESS"));
    assert_eq!(target(&bill), "/v3/bill/tradebill?bill_date=2026-01-01&bill_type=SUCCESS&tar_type=GZIP");
    assert_eq!(known(GetTradebillTarType::KNOWN, GetTradebillTarType::as_str), ["GZIP"]);
}

/// 图片上传 (商户): a multipart upload whose only part besides `meta` is `file`.
#[test]
fn media_upload() {
    use apis::merchant::media::*;
    named::<Upload>(Method::Post, "v3/merchant/media/upload");
    let upload = Upload::new(MediaFile::from_bytes("logo.png", &b"\x89PNG\r\n\x1a\n"[..]).unwrap());
    assert_eq!(upload.media_file().unwrap().filename(), "logo.png");
    let response: UploadResponse = serde_json::from_value(json!({ "media_id": "id" })).unwrap();
    assert_eq!(response.media_id, "id");
}

/// 获取平台证书列表: no request member; the response's `data` is a required array of
/// objects whose members are optional.
#[test]
fn platform_certificates_list() {
    use apis::certificates::*;
    named::<GetCertificates>(Method::Get, "v3/certificates");
    assert_eq!(target(&GetCertificates::new()), "/v3/certificates");
    let response: GetCertificatesResponse =
        serde_json::from_value(json!({ "data": [{ "serial_no": "5157F09EFDC096DE15EBE81A47057A7232F1B8E1" }] }))
            .unwrap();
    let first: &GetCertificatesResponseData = &response.data[0];
    assert!(first.encrypt_certificate.is_none());
    assert!(serde_json::from_value::<GetCertificatesResponse>(json!({})).is_err(), "data is required");
}

/// 修改商家券基本信息: PATCH with path `stock_id` and the required `out_request_no`; the
/// other members optional; and the GET on the same path is another type.
#[test]
fn patch_and_get_on_one_path_are_two_types() {
    use apis::marketing::busifavor::*;
    named::<PatchStocksByStockId>(Method::Patch, "v3/marketing/busifavor/stocks/{stock_id}");
    named::<GetStocksByStockId>(Method::Get, "v3/marketing/busifavor/stocks/{stock_id}");
    let mut patch = PatchStocksByStockId::new("1212", "REQ-2026-0001");
    patch.stock_name = Some("周末满减券".into());
    assert_eq!(target(&patch), "/v3/marketing/busifavor/stocks/1212");
    assert_eq!(body(&patch), json!({ "out_request_no": "REQ-2026-0001", "stock_name": "周末满减券" }));
    // `global/v3/customs/orders` and `v3/global/customs/orders` are two paths, two types.
    named::<apis::global_v3::customs::GetOrders>(Method::Get, "global/v3/customs/orders");
    named::<apis::global::customs::GetOrders>(Method::Get, "v3/global/customs/orders");
}
