//! Entry point of the page: render the app, nothing else.
fn main() {
    keywrap_web::start();
}
