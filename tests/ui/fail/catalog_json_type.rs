// A Rust type that is plainly another JSON type than the operation's, named with both.
use wechat_endpoint::wechat_endpoint;

#[wechat_endpoint(PATCH, "v3/marketing/busifavor/stocks/<stock_id>/budget")]
pub struct UpdateBudget {
    pub stock_id: String,
    pub target_max_coupons: Option<String>,
    pub current_max_coupons: f64,
    pub modify_budget_request_no: u64,
}

#[wechat_endpoint(
    POST,
    "v3/marketing/partner/product-coupon/product-coupons/<product_coupon_id>/stocks/<stock_id>/disassociate-stores"
)]
pub struct DisassociateStores<'a> {
    pub product_coupon_id: String,
    pub stock_id: String,
    pub brand_id: bool,
    pub store_list: &'a str,
}

#[wechat_endpoint(POST, "v3/marketing/favor/stocks/<stock_id>/modify-goods-id")]
pub struct ModifyGoods {
    pub stock_id: String,
    pub stock_creator_mchid: Vec<String>,
    pub add_goods_id_list: Vec<u64>,
}

fn main() {}
