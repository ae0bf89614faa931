//! The `rel` command. All the work is in the library; see `cli`.

fn main() {
    std::process::exit(rel::cli::main());
}
