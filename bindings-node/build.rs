//! Sets up the Node-API link flags for the addon.

fn main() {
    napi_build::setup();
}
