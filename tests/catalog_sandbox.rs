//! Catalog operations from many business groups, declared with `#[wechat_endpoint]` as
//! the catalog states them (member names, JSON types, required members, sensitive members
//! encrypted), called against the sandbox with no route of their own: each succeeds with
//! a body that decodes into its response type, and each is refused `400 PARAM_ERROR`
//! naming a required member sent as `None`.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use wechat_endpoint::sandbox::Sandbox;
use wechat_endpoint::sensitive::Sensitive;
use wechat_endpoint::{Client, Endpoint, Error, Method, wechat_endpoint};

/// Sends `endpoint` and checks the refusal: `400 PARAM_ERROR` whose message and
/// `detail{field, location}` name `field`.
async fn assert_refused<E: Endpoint>(client: &Client, endpoint: &E, field: &str, location: &str) {
    let error = client.send(endpoint).await.err().unwrap_or_else(|| panic!("`{field}` missing was not refused"));
    let Error::Api(api) = error else { panic!("{error:?}") };
    assert_eq!(api.status.as_u16(), 400, "{api}");
    assert_eq!(api.code.as_deref(), Some("PARAM_ERROR"), "{api}");
    assert!(api.message.as_deref().unwrap().contains(field), "{api}");
    let detail = api.detail.as_ref().unwrap();
    assert_eq!(detail["field"], field, "{api}");
    assert_eq!(detail["location"], location, "{api}");
    assert_eq!(detail["issue"], "is required", "{api}");
}

fn started() -> (Sandbox, Client) {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client().unwrap();
    (sandbox, client)
}

// 跨境∙报关 ---------------------------------------------------------------------------

#[derive(Debug, Deserialize)]
struct VerifyCertificateResponse {
    appid: String,
    mchid: String,
    out_trade_no: String,
    transaction_id: String,
    certificate_check_result: String,
}

/// `POST global/v3/customs/verify-certificate` (身份信息校验API).
#[wechat_endpoint(POST, "global/v3/customs/verify-certificate", response = VerifyCertificateResponse)]
struct VerifyCertificate {
    appid: String,
    mchid: String,
    out_trade_no: String,
    transaction_id: String,
    customs: String,
    merchant_customs_no: Option<String>,
    certificate_type: String,
    #[wechat(encrypt)]
    certificate_id: String,
    #[wechat(encrypt)]
    certificate_name: String,
}

#[tokio::test]
async fn customs_verify_certificate() {
    let (_sandbox, client) = started();
    let request = |merchant_customs_no: Option<&str>| VerifyCertificate {
        appid: "wxd678efh567hg6787".into(),
        mchid: "1230000109".into(),
        out_trade_no: "20150806125346".into(),
        transaction_id: "1000000035201508061000000001".into(),
        customs: "GUANGZHOU_ZS".into(),
        merchant_customs_no: merchant_customs_no.map(Into::into),
        certificate_type: "IDCARD".into(),
        certificate_id: "330821198809085211".into(),
        certificate_name: "张三".into(),
    };
    let response = client.send(&request(Some("123456"))).await.unwrap();
    assert_eq!(response.out_trade_no, "20150806125346");
    assert_eq!(response.transaction_id, "1000000035201508061000000001");
    assert_eq!((response.appid.as_str(), response.mchid.as_str()), ("wxd678efh567hg6787", "1230000109"));
    assert_eq!(response.certificate_check_result, "SAME");
    assert_refused(&client, &request(None), "merchant_customs_no", "body").await;
}

// 跨境 -----------------------------------------------------------------------------------

#[derive(Debug, Deserialize)]
struct Settlements {
    data: Option<Vec<Settlement>>,
    total_count: u64,
    offset: u64,
    limit: u64,
}

#[derive(Debug, Deserialize)]
struct Settlement {
    batch_id: String,
    settlement_date: String,
    amount: SettlementAmount,
}

#[derive(Debug, Deserialize)]
struct SettlementAmount {
    settled: i64,
    currency: String,
}

/// `GET hk/v3/settle/settlements` (查询结算信息).
#[wechat_endpoint(GET, "hk/v3/settle/settlements", response = Settlements)]
struct ListSettlements {
    sub_mchid: Option<String>,
    settle_state: Option<String>,
    limit: u32,
    offset: u32,
}

#[tokio::test]
async fn hk_settlements() {
    let (_sandbox, client) = started();
    let request = |state: Option<&str>| ListSettlements {
        sub_mchid: Some("100012321".into()),
        settle_state: state.map(Into::into),
        limit: 10,
        offset: 0,
    };
    let response = client.send(&request(Some("SETTLED"))).await.unwrap();
    assert_eq!((response.limit, response.offset), (10, 0));
    assert!(response.total_count >= 1);
    let data = response.data.unwrap();
    assert!(!data[0].batch_id.is_empty() && !data[0].settlement_date.is_empty());
    assert_eq!(data[0].amount.settled, 1);
    assert!(!data[0].amount.currency.is_empty());
    assert_refused(&client, &request(None), "settle_state", "query").await;
}

// 跨境∙支付 -----------------------------------------------------------------------------

/// `POST hk/v3/transactions/id/{transaction_id}/close` (关闭订单): `204`.
#[wechat_endpoint(POST, "hk/v3/transactions/id/{transaction_id}/close")]
struct CloseHkTransaction {
    transaction_id: String,
    mchid: Option<String>,
    sub_mchid: Option<String>,
}

#[tokio::test]
async fn hk_close_transaction() {
    let (_sandbox, client) = started();
    let request = |mchid: Option<&str>| CloseHkTransaction {
        transaction_id: "4200000000201407033233368018".into(),
        mchid: mchid.map(Into::into),
        sub_mchid: None,
    };
    client.send(&request(Some("1230000109"))).await.unwrap();
    assert_refused(&client, &request(None), "mchid", "body").await;
}

// 收付通∙个人收款 ---------------------------------------------------------------------

#[derive(Debug, Deserialize)]
struct PreEntrustSign {
    pre_entrustweb_id: String,
}

/// `POST v3/ecommerce/individual-contracts/pre-entrust-sign-with-real-name-identity/app`.
#[wechat_endpoint(
    POST,
    "v3/ecommerce/individual-contracts/pre-entrust-sign-with-real-name-identity/app",
    response = PreEntrustSign
)]
struct PreEntrustSignWithRealName {
    appid: Option<String>,
    out_contract_code: String,
    #[wechat(encrypt)]
    real_name: String,
    cred_type: String,
    #[wechat(encrypt)]
    cred_id: String,
}

#[tokio::test]
async fn individual_contract_pre_entrust_sign() {
    let (_sandbox, client) = started();
    let request = |appid: Option<&str>| PreEntrustSignWithRealName {
        appid: appid.map(Into::into),
        out_contract_code: "1234323JKHDFE1243252".into(),
        real_name: "张三".into(),
        cred_type: "ID_CARD".into(),
        cred_id: "330821198809085211".into(),
    };
    let response = client.send(&request(Some("wxd678efh567hg6787"))).await.unwrap();
    assert!(!response.pre_entrustweb_id.is_empty());
    assert_refused(&client, &request(None), "appid", "body").await;
}

// 渠道服务 -------------------------------------------------------------------------------

#[derive(Debug, Deserialize)]
struct ChannelBalance {
    in_transit_reduction_exist: Option<bool>,
    balance: Option<i64>,
}

/// `GET v3/aggracct-bc/wb-channel/account/balance`: `bal_account_no` encrypted in the query.
#[wechat_endpoint(GET, "v3/aggracct-bc/wb-channel/account/balance", response = ChannelBalance)]
struct QueryChannelBalance {
    mchid: Option<String>,
    #[wechat(encrypt)]
    bal_account_no: String,
}

#[tokio::test]
async fn channel_account_balance() {
    let (_sandbox, client) = started();
    let request = |mchid: Option<&str>| QueryChannelBalance {
        mchid: mchid.map(Into::into),
        bal_account_no: "6214830000000000".into(),
    };
    let response = client.send(&request(Some("1230000109"))).await.unwrap();
    assert_eq!(response.balance, Some(1));
    assert_eq!(response.in_transit_reduction_exist, Some(true));
    assert_refused(&client, &request(None), "mchid", "query").await;
}

// 服务商∙进件 ---------------------------------------------------------------------------

#[derive(Debug, Deserialize)]
struct ModifySettlementResponse {
    application_no: String,
}

/// `POST v3/apply4sub/sub_merchants/{sub_mchid}/modify-settlement` (修改结算账户).
#[wechat_endpoint(POST, "v3/apply4sub/sub_merchants/{sub_mchid}/modify-settlement", response = ModifySettlementResponse)]
struct ModifySettlement {
    sub_mchid: String,
    account_type: String,
    account_bank: String,
    bank_address_code: Option<String>,
    #[wechat(encrypt)]
    account_number: String,
    #[wechat(encrypt)]
    account_name: Option<String>,
}

#[tokio::test]
async fn modify_settlement_account() {
    let (_sandbox, client) = started();
    let request = |code: Option<&str>| ModifySettlement {
        sub_mchid: "1900006491".into(),
        account_type: "ACCOUNT_TYPE_BUSINESS".into(),
        account_bank: "工商银行".into(),
        bank_address_code: code.map(Into::into),
        account_number: "6214830000000000".into(),
        account_name: Some("张三".into()),
    };
    let response = client.send(&request(Some("110000"))).await.unwrap();
    assert!(!response.application_no.is_empty());
    assert_refused(&client, &request(None), "bank_address_code", "body").await;
}

// 资金应用∙转账∙银行模式 -------------------------------------------------------------

#[derive(Debug, Deserialize)]
struct DetailReceipt {
    out_batch_no: String,
    out_detail_no: String,
    receipt_no: String,
}

/// `GET v3/bank-batch-transfer/receipt/detail-receipts`.
#[wechat_endpoint(GET, "v3/bank-batch-transfer/receipt/detail-receipts", response = DetailReceipt)]
struct QueryDetailReceipt {
    out_batch_no: String,
    out_detail_no: Option<String>,
}

#[tokio::test]
async fn bank_transfer_detail_receipt() {
    let (_sandbox, client) = started();
    let request = |detail: Option<&str>| QueryDetailReceipt {
        out_batch_no: "plfk2020042013".into(),
        out_detail_no: detail.map(Into::into),
    };
    let response = client.send(&request(Some("x23zy545Bd5436"))).await.unwrap();
    assert_eq!((response.out_batch_no.as_str(), response.out_detail_no.as_str()), ("plfk2020042013", "x23zy545Bd5436"));
    assert!(!response.receipt_no.is_empty());
    assert_refused(&client, &request(None), "out_detail_no", "query").await;
}

// 品牌∙商家名片配置 -----------------------------------------------------------------

#[derive(Debug, Deserialize)]
struct CardConfig {
    brand_id: String,
    applyment_state: String,
    scheduled_publish_time: Option<String>,
}

/// `GET v3/brand/card/card-configs`.
#[wechat_endpoint(GET, "v3/brand/card/card-configs", response = CardConfig)]
struct QueryCardConfig {
    brand_id: Option<String>,
    business_code: Option<String>,
}

#[tokio::test]
async fn brand_card_config() {
    let (_sandbox, client) = started();
    let request = |brand: Option<&str>| QueryCardConfig { brand_id: brand.map(Into::into), business_code: None };
    let response = client.send(&request(Some("1001"))).await.unwrap();
    assert_eq!(response.brand_id, "1001");
    assert_eq!(response.applyment_state, "STATE_UNKNOWN");
    assert_eq!(response.scheduled_publish_time.as_deref(), Some("2026-01-01T08:00:00+08:00"));
    assert_refused(&client, &request(None), "brand_id", "query").await;
}

// 商家名片会员 -------------------------------------------------------------------------

#[derive(Debug, Deserialize)]
struct PayViewToken {
    token: String,
    expire_time: String,
}

/// `POST v3/brand/partner/card-member/pay-view-tokens`.
#[wechat_endpoint(POST, "v3/brand/partner/card-member/pay-view-tokens", response = PayViewToken)]
struct CreatePayViewToken {
    brand_id: String,
    card_id: String,
    openid: Option<String>,
}

#[tokio::test]
async fn card_member_pay_view_token() {
    let (_sandbox, client) = started();
    let request = |openid: Option<&str>| CreatePayViewToken {
        brand_id: "1001".into(),
        card_id: "pbLatjk4T4Hx-QgMAAAAB".into(),
        openid: openid.map(Into::into),
    };
    let response = client.send(&request(Some("oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"))).await.unwrap();
    assert!(!response.token.is_empty());
    assert_eq!(response.expire_time, "2026-01-01T08:00:00+08:00");
    assert_refused(&client, &request(None), "openid", "body").await;
}

// 经营工具∙智慧商圈 -------------------------------------------------------------------

/// `POST v3/businesscircle/parkings` (停车状态同步): `204`.
#[wechat_endpoint(POST, "v3/businesscircle/parkings")]
struct SyncParking {
    sub_mchid: Option<String>,
    brandid: u64,
    appid: String,
    openid: String,
    plate_number: Option<String>,
    state: String,
    time: String,
}

#[tokio::test]
async fn business_circle_parking() {
    let (_sandbox, client) = started();
    let request = |plate: Option<&str>| SyncParking {
        sub_mchid: None,
        brandid: 1234,
        appid: "wxd678efh567hg6787".into(),
        openid: "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o".into(),
        plate_number: plate.map(Into::into),
        state: "入场".into(),
        time: "2026-01-01T08:00:00+08:00".into(),
    };
    client.send(&request(Some("粤B888888"))).await.unwrap();
    assert_refused(&client, &request(None), "plate_number", "body").await;
}

// 基础支付∙合单 -------------------------------------------------------------------------

#[derive(Serialize)]
struct CloseSubOrder {
    mchid: String,
    out_trade_no: Option<String>,
}

/// `POST v3/combine-transactions/out-trade-no/{combine_out_trade_no}/close`: `204`; a
/// required member of an array's element.
#[wechat_endpoint(POST, "v3/combine-transactions/out-trade-no/{combine_out_trade_no}/close")]
struct CloseCombineTransaction {
    combine_out_trade_no: String,
    combine_appid: String,
    sub_orders: Vec<CloseSubOrder>,
}

#[tokio::test]
async fn combine_transaction_close() {
    let (_sandbox, client) = started();
    let request = |out_trade_no: Option<&str>| CloseCombineTransaction {
        combine_out_trade_no: "P20150806125346".into(),
        combine_appid: "wxd678efh567hg6787".into(),
        sub_orders: vec![CloseSubOrder { mchid: "1230000109".into(), out_trade_no: out_trade_no.map(Into::into) }],
    };
    client.send(&request(Some("20150806125346"))).await.unwrap();
    assert_refused(&client, &request(None), "sub_orders[0].out_trade_no", "body").await;
}

// 风险合规∙不活跃商户身份核实 ---------------------------------------------------------

#[derive(Debug, Deserialize)]
struct Verification {
    verification_id: String,
}

/// `POST v3/compliance/inactive-merchant-identity-verification/merchants`.
#[wechat_endpoint(POST, "v3/compliance/inactive-merchant-identity-verification/merchants", response = Verification)]
struct StartVerification {
    sub_mchid: Option<String>,
}

#[tokio::test]
async fn inactive_merchant_verification() {
    let (_sandbox, client) = started();
    let response = client.send(&StartVerification { sub_mchid: Some("1900006491".into()) }).await.unwrap();
    assert!(!response.verification_id.is_empty());
    assert_refused(&client, &StartVerification { sub_mchid: None }, "sub_mchid", "body").await;
}

// 自动还款 -------------------------------------------------------------------------------

#[derive(Debug, Deserialize)]
struct TerminateContractResponse {
    contract_info: Option<ContractInfo>,
}

#[derive(Debug, Deserialize)]
struct ContractInfo {
    contract_id: String,
    out_contract_code: String,
    contract_state: String,
    repayment_amount_limit: i64,
    contract_signed_time: Option<String>,
}

/// `POST v3/credit-repayment/partner/contracts/terminate`.
#[wechat_endpoint(POST, "v3/credit-repayment/partner/contracts/terminate", response = TerminateContractResponse)]
struct TerminateRepaymentContract {
    out_contract_code: String,
    contract_termination_remark: Option<String>,
}

#[tokio::test]
async fn credit_repayment_terminate() {
    let (_sandbox, client) = started();
    let request = |remark: Option<&str>| TerminateRepaymentContract {
        out_contract_code: "wxwtdk20200910100000".into(),
        contract_termination_remark: remark.map(Into::into),
    };
    let info = client.send(&request(Some("用户主动解约"))).await.unwrap().contract_info.unwrap();
    assert_eq!(info.out_contract_code, "wxwtdk20200910100000");
    assert_eq!(info.contract_state, "CONTRACT_STATE_INVALID");
    assert!(!info.contract_id.is_empty());
    assert_eq!(info.repayment_amount_limit, 1);
    assert_eq!(info.contract_signed_time.as_deref(), Some("2026-01-01T08:00:00+08:00"));
    assert_refused(&client, &request(None), "contract_termination_remark", "body").await;
}

// 支付分∙先享卡 -------------------------------------------------------------------------

#[derive(Debug, Deserialize)]
struct PrepareCard {
    prepare_card_token: String,
}

/// `POST v3/discount-card/cards` (预受理领卡请求).
#[wechat_endpoint(POST, "v3/discount-card/cards", response = PrepareCard)]
struct PrepareDiscountCard {
    out_card_code: String,
    card_template_id: String,
    appid: String,
    notify_url: Option<String>,
}

#[tokio::test]
async fn discount_card_prepare() {
    let (_sandbox, client) = started();
    let request = |url: Option<&str>| PrepareDiscountCard {
        out_card_code: "150115144502".into(),
        card_template_id: "ZY14FS3244".into(),
        appid: "wxd678efh567hg6787".into(),
        notify_url: url.map(Into::into),
    };
    assert!(!client.send(&request(Some("https://example.com/notify"))).await.unwrap().prepare_card_token.is_empty());
    assert_refused(&client, &request(None), "notify_url", "body").await;
}

// 收付通∙提现 ---------------------------------------------------------------------------

#[derive(Debug, Deserialize)]
struct WithdrawResponse {
    sub_mchid: String,
    withdraw_id: String,
    out_request_no: String,
}

/// `POST v3/ecommerce/fund/withdraw` (二级商户预约提现).
#[wechat_endpoint(POST, "v3/ecommerce/fund/withdraw", response = WithdrawResponse)]
struct Withdraw {
    sub_mchid: String,
    out_request_no: Option<String>,
    amount: u64,
    remark: Option<String>,
}

#[tokio::test]
async fn ecommerce_withdraw() {
    let (_sandbox, client) = started();
    let request = |no: Option<&str>| Withdraw {
        sub_mchid: "1900000109".into(),
        out_request_no: no.map(Into::into),
        amount: 1,
        remark: Some("交易提现".into()),
    };
    let response = client.send(&request(Some("20190611222222222200000000012122"))).await.unwrap();
    assert_eq!(response.out_request_no, "20190611222222222200000000012122");
    assert_eq!(response.sub_mchid, "1900000109");
    assert!(!response.withdraw_id.is_empty());
    assert_refused(&client, &request(None), "out_request_no", "body").await;
}

// 收付通∙分账 ---------------------------------------------------------------------------

#[derive(Debug, Deserialize)]
struct EcommerceReceiver {
    #[serde(rename = "type")]
    kind: String,
    account: String,
}

/// `POST v3/ecommerce/profitsharing/receivers/add`: `encrypted_name` is sensitive.
#[wechat_endpoint(POST, "v3/ecommerce/profitsharing/receivers/add", response = EcommerceReceiver)]
struct AddEcommerceReceiver {
    appid: String,
    #[serde(rename = "type")]
    kind: String,
    account: Option<String>,
    #[wechat(encrypt)]
    encrypted_name: Option<String>,
    relation_type: String,
}

#[tokio::test]
async fn ecommerce_profitsharing_receiver() {
    let (_sandbox, client) = started();
    let request = |account: Option<&str>| AddEcommerceReceiver {
        appid: "wxd678efh567hg6787".into(),
        kind: "MERCHANT_ID".into(),
        account: account.map(Into::into),
        encrypted_name: Some("示例商户全称".into()),
        relation_type: "MERCHANT_ID".into(),
    };
    let response = client.send(&request(Some("190001001"))).await.unwrap();
    assert_eq!((response.kind.as_str(), response.account.as_str()), ("MERCHANT_ID", "190001001"));
    assert_refused(&client, &request(None), "account", "body").await;
}

// 收付通∙退款 ---------------------------------------------------------------------------

#[derive(Debug, Deserialize)]
struct ReturnAdvance {
    refund_id: String,
    advance_return_id: String,
    return_amount: i64,
    result: String,
}

/// `GET v3/ecommerce/refunds/{refund_id}/return-advance` (查询垫付回补结果).
#[wechat_endpoint(GET, "v3/ecommerce/refunds/{refund_id}/return-advance", response = ReturnAdvance)]
struct QueryReturnAdvance {
    refund_id: String,
    sub_mchid: Option<String>,
}

#[tokio::test]
async fn ecommerce_return_advance() {
    let (_sandbox, client) = started();
    let request = |sub: Option<&str>| QueryReturnAdvance {
        refund_id: "50000000382019052709732678859".into(),
        sub_mchid: sub.map(Into::into),
    };
    let response = client.send(&request(Some("1900000109"))).await.unwrap();
    assert_eq!(response.refund_id, "50000000382019052709732678859");
    assert!(!response.advance_return_id.is_empty() && !response.result.is_empty());
    assert_eq!(response.return_amount, 1);
    assert_refused(&client, &request(None), "sub_mchid", "query").await;
}

// 收付通∙补差 ---------------------------------------------------------------------------

#[derive(Debug, Deserialize)]
struct SubsidyCancelResponse {
    sub_mchid: String,
    transaction_id: String,
    result: String,
    description: String,
}

/// `POST v3/ecommerce/subsidies/cancel` (取消补差).
#[wechat_endpoint(POST, "v3/ecommerce/subsidies/cancel", response = SubsidyCancelResponse)]
struct CancelSubsidy {
    sub_mchid: String,
    transaction_id: String,
    description: Option<String>,
}

#[tokio::test]
async fn ecommerce_subsidy_cancel() {
    let (_sandbox, client) = started();
    let request = |description: Option<&str>| CancelSubsidy {
        sub_mchid: "1900000109".into(),
        transaction_id: "4208450740201411110007820472".into(),
        description: description.map(Into::into),
    };
    let response = client.send(&request(Some("取消补差"))).await.unwrap();
    assert_eq!(response.result, "SUCCESS");
    assert_eq!(response.description, "取消补差");
    assert_eq!(response.transaction_id, "4208450740201411110007820472");
    assert_eq!(response.sub_mchid, "1900000109");
    assert_refused(&client, &request(None), "description", "body").await;
}

// 学生卡身份权益 -----------------------------------------------------------------------

#[derive(Debug, Deserialize)]
struct EduStarOrders {
    data: Vec<EduStarOrder>,
    total_count: u64,
}

#[derive(Debug, Deserialize)]
struct EduStarOrder {
    appid: String,
    right_id: String,
    order_id: String,
}

/// `GET v3/edu-star/orders`.
#[wechat_endpoint(GET, "v3/edu-star/orders", response = EduStarOrders)]
struct ListEduStarOrders {
    appid: Option<String>,
    offset: Option<u32>,
    limit: Option<u32>,
}

#[tokio::test]
async fn edu_star_orders() {
    let (_sandbox, client) = started();
    let request =
        |appid: Option<&str>| ListEduStarOrders { appid: appid.map(Into::into), offset: Some(0), limit: Some(10) };
    let response = client.send(&request(Some("wxd678efh567hg6787"))).await.unwrap();
    assert_eq!(response.total_count, 1);
    assert_eq!(response.data[0].appid, "wxd678efh567hg6787");
    assert!(!response.data[0].right_id.is_empty() && !response.data[0].order_id.is_empty());
    assert_refused(&client, &request(None), "appid", "query").await;
}

// 微信寄快递 -----------------------------------------------------------------------------

#[derive(Debug, Deserialize)]
struct TransformedUser {
    openid: String,
}

/// `POST v3/express/users/{openid}/transform`.
#[wechat_endpoint(POST, "v3/express/users/{openid}/transform", response = TransformedUser)]
struct TransformUser {
    openid: String,
    appid: Option<String>,
}

#[tokio::test]
async fn express_transform_user() {
    let (_sandbox, client) = started();
    let request = |appid: Option<&str>| TransformUser {
        openid: "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o".into(),
        appid: appid.map(Into::into),
    };
    let response = client.send(&request(Some("wxd678efh567hg6787"))).await.unwrap();
    assert_eq!(response.openid, "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o");
    assert_refused(&client, &request(None), "appid", "body").await;
}

// 刷脸支付 -------------------------------------------------------------------------------

#[derive(Debug, Deserialize)]
struct FaceUser {
    openid: Option<String>,
    real_name_info: Option<RealNameInfo>,
}

#[derive(Debug, Deserialize)]
struct RealNameInfo {
    encrypted_real_name: Option<String>,
    credential_type: Option<u8>,
}

/// `GET v3/facemch/users/{face_sid}`: the response's `encrypted_real_name` is sensitive.
#[wechat_endpoint(GET, "v3/facemch/users/{face_sid}", response = FaceUser)]
struct QueryFaceUser {
    face_sid: String,
    info_type: Option<String>,
    appid: String,
}

#[tokio::test]
async fn face_user_with_an_encrypted_name() {
    let (_sandbox, client) = started();
    let request = |info_type: Option<&str>| QueryFaceUser {
        face_sid: "0b6a3e1a-6bde-4da6-a63d-2c1e0b4a0f8b".into(),
        info_type: info_type.map(Into::into),
        appid: "wxd678efh567hg6787".into(),
    };
    let response = client.send(&request(Some("ASK_REAL_NAME"))).await.unwrap();
    assert!(response.openid.is_some());
    let info = response.real_name_info.unwrap();
    assert_eq!(info.credential_type, Some(1));
    let name = client.decrypt_sensitive(&info.encrypted_real_name.unwrap()).unwrap();
    assert_eq!(name.as_str(), "encrypted_real_name");
    assert_refused(&client, &request(None), "info_type", "query").await;
}

// 委托代扣 -------------------------------------------------------------------------------

/// `POST v3/papay/contracts/{contract_id}/fail-notify`: `204`.
#[wechat_endpoint(POST, "v3/papay/contracts/{contract_id}/fail-notify")]
struct ContractFailNotify {
    contract_id: String,
    mchid: String,
    appid: Option<String>,
}

#[tokio::test]
async fn papay_fail_notify() {
    let (_sandbox, client) = started();
    let request = |appid: Option<&str>| ContractFailNotify {
        contract_id: "Wx15463511252015071056489715".into(),
        mchid: "1230000109".into(),
        appid: appid.map(Into::into),
    };
    client.send(&request(Some("wxd678efh567hg6787"))).await.unwrap();
    assert_refused(&client, &request(None), "appid", "body").await;
}

// 停车缴费服务 -------------------------------------------------------------------------

/// `POST v3/parking/reminders/application/withdraw`: `204`; both members at most 64
/// characters.
#[wechat_endpoint(POST, "v3/parking/reminders/application/withdraw")]
struct WithdrawParkingReminder {
    parking_lot_audit_no: String,
    out_parking_lot_id: Option<String>,
}

#[tokio::test]
async fn parking_reminder_withdraw() {
    let (_sandbox, client) = started();
    let request = |id: Option<&str>| WithdrawParkingReminder {
        parking_lot_audit_no: "1234567890".into(),
        out_parking_lot_id: id.map(Into::into),
    };
    client.send(&request(Some("停车场-1"))).await.unwrap();
    assert_refused(&client, &request(None), "out_parking_lot_id", "body").await;
    // 64 characters, not bytes: 64 Chinese characters fit, 65 do not.
    client.send(&request(Some(&"停".repeat(64)))).await.unwrap();
    let Err(Error::Api(api)) = client.send(&request(Some(&"停".repeat(65)))).await else { panic!() };
    assert_eq!(api.detail.unwrap()["field"], "out_parking_lot_id");
}

// 基础支付 -------------------------------------------------------------------------------

/// `POST v3/pay/transactions/out-trade-no/{out_trade_no}/close` (关闭订单): `204`.
#[wechat_endpoint(POST, "v3/pay/transactions/out-trade-no/{out_trade_no}/close")]
struct CloseOrder {
    out_trade_no: String,
    mchid: Option<String>,
}

#[tokio::test]
async fn close_order() {
    let (_sandbox, client) = started();
    let request = |mchid: Option<&str>| CloseOrder {
        out_trade_no: "1217752501201407033233368018".into(),
        mchid: mchid.map(Into::into),
    };
    client.send(&request(Some("1230000109"))).await.unwrap();
    assert_refused(&client, &request(None), "mchid", "body").await;
}

// 基础支付∙服务商模式 -------------------------------------------------------------------

/// `POST v3/pay/partner/transactions/out-trade-no/{out_trade_no}/close`: `204`.
#[wechat_endpoint(POST, "v3/pay/partner/transactions/out-trade-no/{out_trade_no}/close")]
struct ClosePartnerOrder {
    out_trade_no: String,
    sp_mchid: String,
    sub_mchid: Option<String>,
}

#[tokio::test]
async fn close_partner_order() {
    let (_sandbox, client) = started();
    let request = |sub: Option<&str>| ClosePartnerOrder {
        out_trade_no: "1217752501201407033233368018".into(),
        sp_mchid: "1230000109".into(),
        sub_mchid: sub.map(Into::into),
    };
    client.send(&request(Some("1900000109"))).await.unwrap();
    assert_refused(&client, &request(None), "sub_mchid", "body").await;
}

// 运营工具∙用工卡 -----------------------------------------------------------------------

#[derive(Debug, Deserialize)]
struct PayrollAuthentication {
    authenticate_number: String,
    openid: String,
    sub_mchid: String,
    token: String,
    expires_in: i64,
}

/// `POST v3/payroll-card/authentications/pre-order-with-auth`: two sensitive members.
#[wechat_endpoint(POST, "v3/payroll-card/authentications/pre-order-with-auth", response = PayrollAuthentication)]
struct PreOrderWithAuth {
    openid: String,
    appid: Option<String>,
    sub_mchid: String,
    authenticate_number: String,
    project_name: Option<String>,
    employer_name: String,
    #[wechat(encrypt)]
    user_name: String,
    #[wechat(encrypt)]
    id_card_number: String,
    employment_type: String,
    authenticate_type: String,
}

#[tokio::test]
async fn payroll_card_pre_order() {
    let (_sandbox, client) = started();
    let request = |project: Option<&str>| PreOrderWithAuth {
        openid: "onqOjjmo8wmTOOtSKwXtGjg9Gb58".into(),
        appid: None,
        sub_mchid: "1111111".into(),
        authenticate_number: "mcdhehfgisdhfjghed39384564i83".into(),
        project_name: project.map(Into::into),
        employer_name: "某用工企业".into(),
        user_name: "张三".into(),
        id_card_number: "330821198809085211".into(),
        employment_type: "LONG_TERM_EMPLOYMENT".into(),
        authenticate_type: "SIGN_IN".into(),
    };
    let response = client.send(&request(Some("某项目"))).await.unwrap();
    assert_eq!(response.authenticate_number, "mcdhehfgisdhfjghed39384564i83");
    assert_eq!((response.openid.as_str(), response.sub_mchid.as_str()), ("onqOjjmo8wmTOOtSKwXtGjg9Gb58", "1111111"));
    assert!(!response.token.is_empty() && response.expires_in == 1);
    assert_refused(&client, &request(None), "project_name", "body").await;
}

// 支付分∙先享后付 ---------------------------------------------------------------------

#[derive(Debug, Deserialize)]
struct CancelledPayafterOrder {
    appid: String,
    out_order_no: String,
    service_id: String,
    order_id: String,
}

/// `POST v3/payscore/payafter-orders/{out_order_no}/cancel`.
#[wechat_endpoint(POST, "v3/payscore/payafter-orders/{out_order_no}/cancel", response = CancelledPayafterOrder)]
struct CancelPayafterOrder {
    out_order_no: String,
    appid: String,
    service_id: String,
    reason: Option<String>,
}

#[tokio::test]
async fn payscore_payafter_cancel() {
    let (_sandbox, client) = started();
    let request = |reason: Option<&str>| CancelPayafterOrder {
        out_order_no: "1234323JKHDFE1243252".into(),
        appid: "wxd678efh567hg6787".into(),
        service_id: "500001".into(),
        reason: reason.map(Into::into),
    };
    let response = client.send(&request(Some("用户投诉"))).await.unwrap();
    assert_eq!(response.out_order_no, "1234323JKHDFE1243252");
    assert_eq!((response.appid.as_str(), response.service_id.as_str()), ("wxd678efh567hg6787", "500001"));
    assert!(!response.order_id.is_empty());
    assert_refused(&client, &request(None), "reason", "body").await;
}

// 支付分∙免确认模式∙普通授权 --------------------------------------------------------

#[derive(Debug, Deserialize)]
struct UserServiceState {
    service_id: String,
    use_service_state: String,
}

/// `GET v3/payscore/user-service-state`.
#[wechat_endpoint(GET, "v3/payscore/user-service-state", response = UserServiceState)]
struct QueryUserServiceState {
    appid: String,
    service_id: String,
    openid: Option<String>,
}

#[tokio::test]
async fn payscore_user_service_state() {
    let (_sandbox, client) = started();
    let request = |openid: Option<&str>| QueryUserServiceState {
        appid: "wxd678efh567hg6787".into(),
        service_id: "500001".into(),
        openid: openid.map(Into::into),
    };
    let response = client.send(&request(Some("oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"))).await.unwrap();
    assert_eq!(response.service_id, "500001");
    assert_eq!(response.use_service_state, "UNAVAILABLE");
    assert_refused(&client, &request(None), "openid", "query").await;
}

// 资金应用∙分账 -------------------------------------------------------------------------

#[derive(Debug, Deserialize)]
struct Receiver {
    #[serde(rename = "type")]
    kind: String,
    account: String,
    name: Option<String>,
    relation_type: String,
}

/// `POST v3/profitsharing/receivers/add` (添加分账接收方): `name` is sensitive, in the
/// request and in the response.
#[wechat_endpoint(POST, "v3/profitsharing/receivers/add", response = Receiver)]
struct AddReceiver {
    appid: String,
    #[serde(rename = "type")]
    kind: String,
    account: Option<String>,
    #[wechat(encrypt)]
    name: Option<String>,
    relation_type: String,
}

#[tokio::test]
async fn profitsharing_receiver_name_round_trips() {
    let (_sandbox, client) = started();
    let request = |account: Option<&str>| AddReceiver {
        appid: "wx8888888888888888".into(),
        kind: "MERCHANT_ID".into(),
        account: account.map(Into::into),
        name: Some("示例商户全称".into()),
        relation_type: "STORE".into(),
    };
    let response = client.send(&request(Some("86693852"))).await.unwrap();
    assert_eq!((response.kind.as_str(), response.account.as_str()), ("MERCHANT_ID", "86693852"));
    assert_eq!(response.relation_type, "STORE");
    // The name comes back encrypted under the merchant key.
    let name = response.name.unwrap();
    assert_ne!(name, "示例商户全称");
    assert_eq!(client.decrypt_sensitive(&name).unwrap().as_str(), "示例商户全称");
    // The same request gets the same body, ciphertext included.
    let again = client.send(&request(Some("86693852"))).await.unwrap();
    assert_eq!(again.name.unwrap(), name);
    assert_refused(&client, &request(None), "account", "body").await;
}

// 实名校验 -------------------------------------------------------------------------------

#[derive(Debug, Deserialize)]
struct RealnameVerification {
    verify_result: u8,
}

/// `GET v3/realname/verify`: two sensitive query members.
#[wechat_endpoint(GET, "v3/realname/verify", response = RealnameVerification)]
struct VerifyRealname {
    credential_type: u8,
    #[wechat(encrypt)]
    encrypted_credential_id: String,
    #[wechat(encrypt)]
    encrypted_name: String,
    wxp_trade_no: Option<String>,
}

#[tokio::test]
async fn realname_verify() {
    let (_sandbox, client) = started();
    let request = |trade: Option<&str>| VerifyRealname {
        credential_type: 1,
        encrypted_credential_id: "330821198809085211".into(),
        encrypted_name: "张三".into(),
        wxp_trade_no: trade.map(Into::into),
    };
    assert_eq!(client.send(&request(Some("4200000000201407033233368018"))).await.unwrap().verify_result, 0);
    assert_refused(&client, &request(None), "wxp_trade_no", "query").await;
}

// 经营工具∙支付即服务 -----------------------------------------------------------------

#[derive(Debug, Deserialize)]
struct SecurityEcho {
    echo_message: String,
    encrypted_echo_message: Option<String>,
}

/// `POST v3/security/echo`: a plain and an encrypted message, both echoed.
#[wechat_endpoint(POST, "v3/security/echo", response = SecurityEcho)]
struct Echo {
    echo_message: Option<String>,
    #[wechat(encrypt)]
    encrypted_echo_message: Option<String>,
}

#[tokio::test]
async fn security_echo_round_trips() {
    let (_sandbox, client) = started();
    let request = |message: Option<&str>| Echo {
        echo_message: message.map(Into::into),
        encrypted_echo_message: Some("加密的回声".into()),
    };
    let response = client.send(&request(Some("hello"))).await.unwrap();
    assert_eq!(response.echo_message, "hello");
    let encrypted = response.encrypted_echo_message.unwrap();
    assert_eq!(client.decrypt_sensitive(&encrypted).unwrap().as_str(), "加密的回声");
    assert_refused(&client, &request(None), "echo_message", "body").await;
}

// 资金应用∙转账 -------------------------------------------------------------------------

#[derive(Serialize)]
struct TransferDetail {
    out_detail_no: String,
    transfer_amount: u64,
    transfer_remark: String,
    openid: String,
    user_name: Sensitive,
}

#[derive(Debug, Deserialize)]
struct TransferBatch {
    out_batch_no: String,
    batch_id: String,
    create_time: String,
}

/// `POST v3/transfer/batches` (发起商家转账): a sensitive member in an array's elements.
#[wechat_endpoint(POST, "v3/transfer/batches", response = TransferBatch)]
struct CreateTransferBatch {
    appid: String,
    out_batch_no: String,
    batch_name: String,
    batch_remark: String,
    total_amount: u64,
    total_num: u32,
    transfer_detail_list: Vec<TransferDetail>,
    transfer_scene_id: Option<String>,
}

#[tokio::test]
async fn transfer_batch() {
    let (_sandbox, client) = started();
    let request = |scene: Option<&str>| CreateTransferBatch {
        appid: "wxf636efh567hg4356".into(),
        out_batch_no: "plfk2020042013".into(),
        batch_name: "2019年1月深圳分部报销单".into(),
        batch_remark: "2019年1月深圳分部报销单".into(),
        total_amount: 4000000,
        total_num: 1,
        transfer_detail_list: vec![TransferDetail {
            out_detail_no: "x23zy545Bd5436".into(),
            transfer_amount: 4000000,
            transfer_remark: "2020年4月报销".into(),
            openid: "o-MYE42l80oelYMDE34nYD456Xoy".into(),
            user_name: Sensitive::new("张三"),
        }],
        transfer_scene_id: scene.map(Into::into),
    };
    let response = client.send(&request(Some("1000"))).await.unwrap();
    assert_eq!(response.out_batch_no, "plfk2020042013");
    assert!(!response.batch_id.is_empty() && !response.create_time.is_empty());
    assert_refused(&client, &request(None), "transfer_scene_id", "body").await;
}

// 支付分∙停车服务 -------------------------------------------------------------------------

#[derive(Debug, Deserialize)]
struct Parking {
    id: String,
    out_parking_no: String,
    plate_number: String,
    plate_color: String,
    free_duration: i64,
    state: String,
}

/// `POST v3/vehicle/parking/parkings` (创建停车入场).
#[wechat_endpoint(POST, "v3/vehicle/parking/parkings", response = Parking)]
struct CreateParking {
    sub_mchid: String,
    out_parking_no: String,
    plate_number: String,
    plate_color: String,
    notify_url: String,
    start_time: String,
    parking_name: Option<String>,
    free_duration: u32,
}

#[tokio::test]
async fn vehicle_parking_entry() {
    let (_sandbox, client) = started();
    let request = |name: Option<&str>| CreateParking {
        sub_mchid: "1900000109".into(),
        out_parking_no: "1231243".into(),
        plate_number: "粤B888888".into(),
        plate_color: "BLUE".into(),
        notify_url: "https://yoursite.com/wxpay.html".into(),
        start_time: "2017-08-26T10:43:39+08:00".into(),
        parking_name: name.map(Into::into),
        free_duration: 3600,
    };
    let response = client.send(&request(Some("欢乐海岸停车场"))).await.unwrap();
    assert_eq!((response.out_parking_no.as_str(), response.plate_number.as_str()), ("1231243", "粤B888888"));
    assert_eq!((response.plate_color.as_str(), response.free_duration), ("BLUE", 3600));
    assert_eq!(response.state, "NORMAL");
    assert!(!response.id.is_empty());
    assert_refused(&client, &request(None), "parking_name", "body").await;
}

// 企业支付 -------------------------------------------------------------------------------

#[derive(Debug, Deserialize)]
struct MchRanges {
    sp_mchid: String,
    range_list: Vec<MchRange>,
}

#[derive(Debug, Deserialize)]
struct MchRange {
    identifier_type: Option<String>,
}

/// `GET v3/webizpay/avail-mch-ranges`.
#[wechat_endpoint(GET, "v3/webizpay/avail-mch-ranges", response = MchRanges)]
struct ListMchRanges {
    sp_mchid: Option<String>,
}

#[tokio::test]
async fn webizpay_ranges() {
    let (_sandbox, client) = started();
    let response = client.send(&ListMchRanges { sp_mchid: Some("1230000109".into()) }).await.unwrap();
    assert_eq!(response.sp_mchid, "1230000109");
    assert_eq!(response.range_list[0].identifier_type.as_deref(), Some("ORGANIZATION_CODE"));
    assert_refused(&client, &ListMchRanges { sp_mchid: None }, "sp_mchid", "query").await;
}

// 出租车电子发票 -------------------------------------------------------------------------

/// `POST v3/taxi-invoice/attendance/punch`: `204`.
#[wechat_endpoint(POST, "v3/taxi-invoice/attendance/punch")]
struct Punch {
    plate_number: String,
    driver_license: String,
    event_time: String,
    event_type: Option<String>,
    region_id: u32,
}

#[tokio::test]
async fn taxi_attendance_punch() {
    let (_sandbox, client) = started();
    let request = |event: Option<&str>| Punch {
        plate_number: "粤B888888".into(),
        driver_license: "440100000000000000".into(),
        event_time: "2026-01-01T08:00:00+08:00".into(),
        event_type: event.map(Into::into),
        region_id: 440300,
    };
    client.send(&request(Some("SIGN_IN"))).await.unwrap();
    assert_refused(&client, &request(None), "event_type", "body").await;
}

// 支付分∙签约计划, 商品券 (GET with a path only): served, echoing the path -------------

#[derive(Debug, Deserialize)]
struct PayscorePlan {
    merchant_plan_no: String,
    plan_state: String,
    plan_duration: f64,
}

/// `GET v3/payscore/plan/payscore-plans/merchant-plan-no/{merchant_plan_no}`.
#[wechat_endpoint(GET, "v3/payscore/plan/payscore-plans/merchant-plan-no/{merchant_plan_no}", response = PayscorePlan)]
struct QueryPayscorePlan {
    merchant_plan_no: String,
}

#[tokio::test]
async fn payscore_plan_echoes_its_path_value() {
    let (_sandbox, client) = started();
    let plan = client.send(&QueryPayscorePlan { merchant_plan_no: "计划/1 ?#".into() }).await.unwrap();
    assert_eq!(plan.merchant_plan_no, "计划/1 ?#");
    assert!(!plan.plan_state.is_empty());
    assert_eq!(plan.plan_duration, 1.0);
}

// What the gateway checks beyond presence -----------------------------------------------

/// Sends `body` to `POST v3/vehicle/parking/parkings` and returns the refusal's detail.
async fn parking_refusal(client: &Client, body: Value) -> Value {
    let error = client.request(Method::POST, "v3/vehicle/parking/parkings").json(&body).send().await.unwrap_err();
    let Error::Api(api) = error else { panic!("{error:?}") };
    assert_eq!((api.status.as_u16(), api.code.as_deref()), (400, Some("PARAM_ERROR")));
    assert!(!api.message.as_deref().unwrap().contains("粤B"), "no value is echoed: {api}");
    api.detail.unwrap()
}

fn parking_body() -> Value {
    json!({
        "sub_mchid": "1900000109",
        "out_parking_no": "1231243",
        "plate_number": "粤B888888",
        "plate_color": "BLUE",
        "notify_url": "https://yoursite.com/wxpay.html",
        "start_time": "2017-08-26T10:43:39+08:00",
        "parking_name": "欢乐海岸停车场",
        "free_duration": 3600,
        "not_in_the_catalog": {"ignored": true},
    })
}

#[tokio::test]
async fn types_enums_and_unknown_members_are_checked_like_the_gateway() {
    let (_sandbox, client) = started();
    // Unknown members are ignored.
    client.request(Method::POST, "v3/vehicle/parking/parkings").json(&parking_body()).send().await.unwrap();

    let mut body = parking_body();
    body["free_duration"] = json!("3600");
    let detail = parking_refusal(&client, body).await;
    assert_eq!(
        detail,
        json!({"field": "free_duration", "location": "body", "issue": "must be an integer, not a string"})
    );

    let mut body = parking_body();
    body["plate_color"] = json!("PINK");
    let detail = parking_refusal(&client, body).await;
    assert_eq!(detail["field"], "plate_color");
    assert!(detail["issue"].as_str().unwrap().starts_with("must be one of BLUE, GREEN, YELLOW"));

    let mut body = parking_body();
    body["free_duration"] = json!(1.5);
    assert_eq!(parking_refusal(&client, body).await["field"], "free_duration");

    // An integer query member must parse.
    let error = client
        .request(Method::GET, "hk/v3/settle/settlements")
        .query(&[("settle_state", "SETTLED"), ("limit", "ten"), ("offset", "0")])
        .send()
        .await
        .unwrap_err();
    let Error::Api(api) = error else { panic!() };
    assert_eq!(api.detail.unwrap(), json!({"field": "limit", "location": "query", "issue": "must be an integer"}));
}

#[tokio::test]
async fn a_sensitive_member_must_decrypt_under_the_named_key() {
    let (_sandbox, client) = started();
    // Sent in clear: it does not decrypt.
    let error = client
        .request(Method::POST, "v3/profitsharing/receivers/add")
        .json(&json!({
            "appid": "wx8888888888888888",
            "type": "MERCHANT_ID",
            "account": "86693852",
            "name": "示例商户全称",
            "relation_type": "STORE",
        }))
        .send()
        .await
        .unwrap_err();
    let Error::Api(api) = error else { panic!() };
    let detail = api.detail.unwrap();
    assert_eq!((&detail["field"], &detail["location"]), (&json!("name"), &json!("body")));
    assert!(!api.message.unwrap().contains("示例"));
}

#[tokio::test]
async fn users_routes_and_stateful_routes_come_first() {
    let (sandbox, client) = started();
    sandbox.route(Method::POST, "v3/pay/transactions/out-trade-no/{n}/close", |_| {
        wechat_endpoint::sandbox::SandboxResponse::error(
            http::StatusCode::NOT_FOUND,
            "ORDER_NOT_EXIST",
            "no such order",
        )
    });
    let error =
        client.send(&CloseOrder { out_trade_no: "1".into(), mchid: Some("1230000109".into()) }).await.unwrap_err();
    assert_eq!(error.api_code(), Some("ORDER_NOT_EXIST"));
    // The store family keeps its state: nothing associated yet.
    let stores = client
        .request(
            Method::GET,
            "v3/marketing/partner/product-coupon/product-coupons/{id}/stocks/{stock}/associated-stores",
        )
        .path("id", "1000000013")
        .path("stock", "1000000013001")
        .query(&[("brand_id", "120344")])
        .send()
        .await
        .unwrap();
    assert_eq!(stores["total_count"], 0);
    // A path of the catalog with a method it does not have, and a path it does not have.
    let wrong = client.request(Method::DELETE, "v3/payscore/user-service-state").send().await.unwrap_err();
    assert_eq!((wrong.status().map(|s| s.as_u16()), wrong.api_code()), (Some(404), Some("RESOURCE_NOT_EXISTS")));
}
