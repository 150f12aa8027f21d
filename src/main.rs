use clap::Parser;
use cyclr_tui::cli::{Cli, Command};
use cyclr_tui::process::report;
use cyclr_tui::settings::Settings;
use cyclr_tui::{commands, tui};

fn main() -> color_eyre::Result<()> {
    cyclr_tui::process::return_large_buffers_to_the_system();
    color_eyre::install()?;
    let cli = Cli::parse();
    let runtime = tokio::runtime::Runtime::new()?;
    let code = runtime.block_on(async move {
        match cli.command {
            Some(Command::Sandbox { port, data }) => {
                cyclr_tui::logging::init(cli.global.log_file.as_deref());
                return commands::run_sandbox(port, data).await;
            }
            // Generated from the definitions alone: no settings needed.
            Some(Command::Completions { shell }) => return commands::completions(shell),
            Some(Command::Man) => return commands::man(),
            _ => {}
        }
        // Settings are resolved before anything starts: a bad one stops everything.
        let settings = match Settings::from_process(&cli.global.flags()) {
            Ok(settings) => settings,
            Err(e) => {
                report(&e.to_string());
                return e.exit_code();
            }
        };
        cyclr_tui::logging::init(settings.log_file.as_ref().map(|s| s.value.as_path()));
        match cli.command {
            Some(command) => commands::run(&settings, command).await,
            None => tui::run(&settings).await,
        }
    });
    drop(runtime);
    std::process::exit(code);
}
