//! Entry point: mount the app into <body>; everything else lives in the library.
fn main() {
    leptos::mount::mount_to_body(portlight::App);
}
