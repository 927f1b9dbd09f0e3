//! Build script: rebuild when the embedded seeds or migrations change (`include_dir!` and
//! `sqlx::migrate!` read them at compile time).

fn main() {
    println!("cargo:rerun-if-changed=seeds");
    println!("cargo:rerun-if-changed=migrations");
}
