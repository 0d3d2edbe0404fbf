//! The seed endpoints, each declared twice: with `#[wechat_endpoint]` (module
//! `generated`) and with a careful hand-written `Endpoint` impl (module `hand`). The
//! request tests and the `macro_build` benchmark compare the two.
#![allow(dead_code)] // Each includer uses its own part.

use serde::{Deserialize, Serialize};

/// `store_list[]` of `associate-stores` and `disassociate-stores`.
#[derive(Debug, Clone, Serialize)]
pub struct StoreRef {
    pub store_id: String,
}

/// The response of `disassociate-stores`.
#[derive(Debug, Deserialize)]
pub struct DisassociateStoresResponse {
    pub total_count: u64,
    pub success_store_list: Option<Vec<StoreRef2>>,
}

/// A store in a response.
#[derive(Debug, Deserialize)]
pub struct StoreRef2 {
    pub store_id: String,
}

/// The response of `associated-stores`.
#[derive(Debug, Deserialize)]
pub struct AssociatedStores {
    pub total_count: u64,
    pub next_page_token: Option<String>,
}

/// The response of `PATCH …/stocks/{stock_id}`.
#[derive(Debug, Deserialize)]
pub struct Stock {
    pub stock_id: String,
}

pub mod generated {
    use super::*;
    use wechat_endpoint::wechat_endpoint;

    #[wechat_endpoint(
        POST,
        "v3/marketing/partner/product-coupon/product-coupons/<product_coupon_id>/stocks/<stock_id>/disassociate-stores",
        response = DisassociateStoresResponse
    )]
    #[derive(Debug, Clone)]
    pub struct DisassociateStores {
        pub product_coupon_id: String,
        pub stock_id: String,
        pub brand_id: String,
        pub store_list: Vec<StoreRef>,
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

    #[wechat_endpoint(DELETE, "v3/marketing/partner/product-coupon/users/<openid>/coupons/<coupon_code>")]
    #[derive(Debug, Clone)]
    pub struct DeleteCoupon {
        pub openid: String,
        pub coupon_code: String,
        pub brand_id: String,
        pub out_request_no: Option<String>,
    }
}

pub mod hand {
    use super::*;
    use wechat_endpoint::{BuildError, Endpoint, Method, TargetWriter, write_json};

    #[derive(Debug, Clone)]
    pub struct DisassociateStores {
        pub product_coupon_id: String,
        pub stock_id: String,
        pub brand_id: String,
        pub store_list: Vec<StoreRef>,
    }

    impl Endpoint for DisassociateStores {
        type Response = DisassociateStoresResponse;
        const METHOD: Method = Method::POST;
        const PATH_TEMPLATE: &'static str = "v3/marketing/partner/product-coupon/product-coupons/{product_coupon_id}/stocks/{stock_id}/disassociate-stores";

        fn write_target(&self, target: &mut TargetWriter<'_>) -> Result<(), BuildError> {
            target.push_path("v3/marketing/partner/product-coupon/product-coupons/");
            target.push_segment("product_coupon_id", &self.product_coupon_id)?;
            target.push_path("/stocks/");
            target.push_segment("stock_id", &self.stock_id)?;
            target.push_path("/disassociate-stores");
            Ok(())
        }

        fn write_body(&self, body: &mut Vec<u8>) -> Result<(), BuildError> {
            #[derive(Serialize)]
            struct Body<'a> {
                brand_id: &'a str,
                store_list: &'a [StoreRef],
            }
            write_json(body, &Body { brand_id: &self.brand_id, store_list: &self.store_list })
        }
    }

    #[derive(Debug, Clone)]
    pub struct ListAssociatedStores {
        pub product_coupon_id: String,
        pub stock_id: String,
        pub brand_id: String,
        pub page_size: Option<u32>,
        pub page_token: Option<String>,
    }

    impl Endpoint for ListAssociatedStores {
        type Response = AssociatedStores;
        const METHOD: Method = Method::GET;
        const PATH_TEMPLATE: &'static str = "v3/marketing/partner/product-coupon/product-coupons/{product_coupon_id}/stocks/{stock_id}/associated-stores";

        fn write_target(&self, target: &mut TargetWriter<'_>) -> Result<(), BuildError> {
            #[derive(Serialize)]
            struct Query<'a> {
                brand_id: &'a str,
                page_size: Option<u32>,
                page_token: Option<&'a str>,
            }
            target.push_path("v3/marketing/partner/product-coupon/product-coupons/");
            target.push_segment("product_coupon_id", &self.product_coupon_id)?;
            target.push_path("/stocks/");
            target.push_segment("stock_id", &self.stock_id)?;
            target.push_path("/associated-stores");
            target.push_query(&Query {
                brand_id: &self.brand_id,
                page_size: self.page_size,
                page_token: self.page_token.as_deref(),
            })
        }
    }

    #[derive(Debug, Clone)]
    pub struct UpdateStock {
        pub product_coupon_id: String,
        pub stock_id: String,
        pub brand_id: String,
        pub out_request_no: String,
        pub remark: Option<String>,
    }

    impl Endpoint for UpdateStock {
        type Response = Stock;
        const METHOD: Method = Method::PATCH;
        const PATH_TEMPLATE: &'static str =
            "v3/marketing/partner/product-coupon/product-coupons/{product_coupon_id}/stocks/{stock_id}";

        fn write_target(&self, target: &mut TargetWriter<'_>) -> Result<(), BuildError> {
            target.push_path("v3/marketing/partner/product-coupon/product-coupons/");
            target.push_segment("product_coupon_id", &self.product_coupon_id)?;
            target.push_path("/stocks/");
            target.push_segment("stock_id", &self.stock_id)
        }

        fn write_body(&self, body: &mut Vec<u8>) -> Result<(), BuildError> {
            #[derive(Serialize)]
            struct Body<'a> {
                brand_id: &'a str,
                out_request_no: &'a str,
                #[serde(skip_serializing_if = "Option::is_none")]
                remark: Option<&'a str>,
            }
            write_json(
                body,
                &Body {
                    brand_id: &self.brand_id,
                    out_request_no: &self.out_request_no,
                    remark: self.remark.as_deref(),
                },
            )
        }
    }

    #[derive(Debug, Clone)]
    pub struct DeleteCoupon {
        pub openid: String,
        pub coupon_code: String,
        pub brand_id: String,
        pub out_request_no: Option<String>,
    }

    impl Endpoint for DeleteCoupon {
        type Response = ();
        const METHOD: Method = Method::DELETE;
        const PATH_TEMPLATE: &'static str = "v3/marketing/partner/product-coupon/users/{openid}/coupons/{coupon_code}";

        fn write_target(&self, target: &mut TargetWriter<'_>) -> Result<(), BuildError> {
            target.push_path("v3/marketing/partner/product-coupon/users/");
            target.push_segment("openid", &self.openid)?;
            target.push_path("/coupons/");
            target.push_segment("coupon_code", &self.coupon_code)?;
            target.push_query(&[
                ("brand_id", Some(self.brand_id.as_str())),
                ("out_request_no", self.out_request_no.as_deref()),
            ])
        }
    }
}

macro_rules! convert {
    ($($name:ident { $($field:ident),* })*) => {$(
        impl From<&generated::$name> for hand::$name {
            fn from(value: &generated::$name) -> Self {
                hand::$name { $($field: value.$field.clone()),* }
            }
        }
    )*};
}

convert! {
    DisassociateStores { product_coupon_id, stock_id, brand_id, store_list }
    ListAssociatedStores { product_coupon_id, stock_id, brand_id, page_size, page_token }
    UpdateStock { product_coupon_id, stock_id, brand_id, out_request_no, remark }
    DeleteCoupon { openid, coupon_code, brand_id, out_request_no }
}
