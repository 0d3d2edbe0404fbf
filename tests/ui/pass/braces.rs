// `{name}` placeholders, as the WeChat Pay documentation writes paths, fill fields like
// `<name>` ones; the two may be mixed, and `PATH_TEMPLATE` writes every one `{name}`.
use wechat_endpoint::{Endpoint, TargetWriter, wechat_endpoint};

#[wechat_endpoint(GET, "v3/fixture/marketing/partner/product-coupon/product-coupons/{product_coupon_id}/stocks/{stock_id}")]
pub struct GetStock {
    pub product_coupon_id: String,
    pub stock_id: String,
    pub brand_id: String,
}

#[wechat_endpoint(
    POST,
    "/v3/fixture/marketing/partner/product-coupon/product-coupons/<product_coupon_id>/stocks/{stock_id}/disassociate-stores"
)]
pub struct DisassociateStores {
    pub product_coupon_id: u64,
    pub stock_id: String,
    pub brand_id: String,
}

fn main() {
    assert_eq!(
        GetStock::PATH_TEMPLATE,
        "v3/fixture/marketing/partner/product-coupon/product-coupons/{product_coupon_id}/stocks/{stock_id}"
    );
    assert_eq!(
        DisassociateStores::PATH_TEMPLATE,
        "v3/fixture/marketing/partner/product-coupon/product-coupons/{product_coupon_id}/stocks/{stock_id}/disassociate-stores"
    );

    let mut target = String::new();
    let request =
        GetStock { product_coupon_id: "1000000013".into(), stock_id: "a/b".into(), brand_id: "120344".into() };
    request.write_target(&mut TargetWriter::new(&mut target, "/")).unwrap();
    assert_eq!(target, "/v3/fixture/marketing/partner/product-coupon/product-coupons/1000000013/stocks/a%2Fb?brand_id=120344");

    let request = DisassociateStores { product_coupon_id: 7, stock_id: "1".into(), brand_id: "120344".into() };
    request.write_target(&mut TargetWriter::new(&mut target, "/")).unwrap();
    assert_eq!(target, "/v3/fixture/marketing/partner/product-coupon/product-coupons/7/stocks/1/disassociate-stores");
    let mut body = Vec::new();
    request.write_body(&mut body).unwrap();
    assert_eq!(body, br#"{"brand_id":"120344"}"#);
}
