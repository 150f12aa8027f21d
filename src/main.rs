use clap::Parser;
use cyclr_tui::cli::{Cli, Command};
use cyclr_tui::commands;

fn main() -> color_eyre::Result<()> {
    color_eyre::install()?;
    cyclr_tui::logging::init();
    let cli = Cli::parse();
    let runtime = tokio::runtime::Runtime::new()?;
    let code = runtime.block_on(async move {
        match cli.command {
            Some(Command::Sandbox { port, data }) => commands::run_sandbox(port, data).await,
            Some(command) => commands::run(&cli.global, command).await,
            None => cyclr_tui::tui::run(&cli.global).await,
        }
    });
    drop(runtime);
    std::process::exit(code);
}
