//! Requests built by `#[wechat_endpoint]` verify at the sandbox, and the sandbox receives
//! exactly the bytes the hand-written impls build, hostile path values included.

mod macro_seed;

use macro_seed::{Store, generated, hand};
use wechat_endpoint::sandbox::{Sandbox, SandboxResponse};
use wechat_endpoint::{Endpoint, Method, TargetWriter};

fn target_of<E: Endpoint>(endpoint: &E) -> String {
    let mut target = String::new();
    endpoint.write_target(&mut TargetWriter::new(&mut target, "/")).unwrap();
    target
}

fn body_of<E: Endpoint>(endpoint: &E) -> Vec<u8> {
    let mut body = Vec::new();
    endpoint.write_body(&mut body).unwrap();
    body
}

#[tokio::test]
async fn generated_requests_verify_at_the_sandbox_byte_for_byte() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client().unwrap();
    for coupon in ["1000000013", "a/b?c#d %e 中文..", "emoji🧧"] {
        let post = generated::DisassociateStores {
            product_coupon_id: coupon.into(),
            stock_id: "1000000013001".into(),
            brand_id: "120344".into(),
            store_list: vec![Store { store_id: "100000001".into() }],
        };
        let by_hand = hand::DisassociateStores {
            product_coupon_id: post.product_coupon_id.clone(),
            stock_id: post.stock_id.clone(),
            brand_id: post.brand_id.clone(),
            store_list: post.store_list.clone(),
        };
        let response = client.send(&post).await.unwrap();
        assert_eq!(response.total_count, 1);
        let received = sandbox.received().pop().unwrap();
        assert_eq!(received.target, target_of(&by_hand));
        assert_eq!(received.body.as_ref(), body_of(&by_hand).as_slice());

        let get = generated::ListAssociatedStores {
            product_coupon_id: coupon.into(),
            stock_id: "1000000013001".into(),
            brand_id: "120 344&x=y".into(),
            page_size: Some(10),
            page_token: None,
        };
        let by_hand = hand::ListStores {
            product_coupon_id: get.product_coupon_id.clone(),
            stock_id: get.stock_id.clone(),
            brand_id: get.brand_id.clone(),
            page_size: get.page_size,
            page_token: get.page_token.clone(),
        };
        client.send(&get).await.unwrap();
        let received = sandbox.received().pop().unwrap();
        assert_eq!(received.target, target_of(&by_hand));
        assert!(received.body.is_empty());
    }

    // PATCH and DELETE through routes of the test's own.
    sandbox.route(Method::PATCH, "v3/marketing/partner/product-coupon/product-coupons/{p}/stocks/{s}", |req| {
        SandboxResponse::ok(serde_json::json!({ "stock_id": req.path_value("s") }))
    });
    sandbox.route(Method::DELETE, "v3/fixture/users/{o}/coupons/{c}", |_| SandboxResponse::no_content());
    let patch = generated::UpdateStock {
        product_coupon_id: "1".into(),
        stock_id: "2/3".into(),
        brand_id: "120344".into(),
        out_request_no: "req_1".into(),
        remark: None,
    };
    assert_eq!(client.send(&patch).await.unwrap().stock_id, "2/3");
    let delete = generated::DeleteCoupon {
        openid: "o/1".into(),
        coupon_code: "c 1".into(),
        brand_id: "120344".into(),
        out_request_no: None,
    };
    client.send(&delete).await.unwrap();
    let received = sandbox.received().pop().unwrap();
    assert_eq!(received.target, target_of(&delete));
    assert_eq!(received.method, Method::DELETE);
}
