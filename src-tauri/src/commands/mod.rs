//! Tauri commands: parse the request, call the library on a blocking thread, map the error.

pub mod audit;
pub mod merchant;
pub mod suppliers;
