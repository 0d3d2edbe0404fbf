//! The seed endpoints, each declared twice: with `#[wechat_endpoint]` (module
//! `generated`) and by hand (module `hand`, the integration tests' hand-written set in
//! `tests/common/stores.rs`). The request tests and the `macro_build` benchmark compare
//! the two.
#![allow(dead_code)] // Each includer uses its own part.

#[path = "../common/stores.rs"]
pub mod hand;

pub use hand::{AssociatedStores, Stock, Store, StoresResult};

pub mod generated {
    use super::*;
    use wechat_endpoint::wechat_endpoint;

    #[wechat_endpoint(
        POST,
        "v3/marketing/partner/product-coupon/product-coupons/<product_coupon_id>/stocks/<stock_id>/disassociate-stores",
        response = StoresResult
    )]
    #[derive(Debug, Clone)]
    pub struct DisassociateStores {
        pub product_coupon_id: String,
        pub stock_id: String,
        pub brand_id: String,
        pub store_list: Vec<Store>,
    }

    #[wechat_endpoint(
        GET,
        "/v3/marketing/partner/product-coupon/product-coupons/<product_coupon_id>/stocks/<stock_id>/associated-stores",
        response = AssociatedStores
    )]
    #[derive(Debug, Clone)]
    pub struct ListAssociatedStores {
        pub product_coupon_id: String,
        pub stock_id: String,
        pub brand_id: String,
        pub page_size: Option<u32>,
        pub page_token: Option<String>,
    }

    #[wechat_endpoint(
        PATCH,
        "v3/marketing/partner/product-coupon/product-coupons/<product_coupon_id>/stocks/<stock_id>",
        response = Stock
    )]
    #[derive(Debug, Clone)]
    pub struct UpdateStock {
        pub product_coupon_id: String,
        pub stock_id: String,
        pub brand_id: String,
        pub out_request_no: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub remark: Option<String>,
    }

    // WeChat Pay has no DELETE with an optional query pair: a path of the tests' own, which
    // the catalog does not know (`users/{openid}/coupons/{coupon_code}` takes GET only).
    #[wechat_endpoint(DELETE, "v3/fixture/users/<openid>/coupons/<coupon_code>")]
    #[derive(Debug, Clone)]
    pub struct DeleteCoupon {
        pub openid: String,
        pub coupon_code: String,
        pub brand_id: String,
        pub out_request_no: Option<String>,
    }
}

macro_rules! convert {
    ($($generated:ident => $hand:ident { $($field:ident),* })*) => {$(
        impl From<&generated::$generated> for hand::$hand {
            fn from(value: &generated::$generated) -> Self {
                hand::$hand { $($field: value.$field.clone()),* }
            }
        }
    )*};
}

convert! {
    DisassociateStores => DisassociateStores { product_coupon_id, stock_id, brand_id, store_list }
    ListAssociatedStores => ListStores { product_coupon_id, stock_id, brand_id, page_size, page_token }
    UpdateStock => UpdateStock { product_coupon_id, stock_id, brand_id, out_request_no, remark }
    DeleteCoupon => DeleteCoupon { openid, coupon_code, brand_id, out_request_no }
}
