use anyhow::Result;
use async_openai::types::{ChatCompletionRequestUserMessageArgs, CreateChatCompletionRequestArgs};
use async_openai::Client;
use clap::Parser;

#[cfg(feature = "local")]
mod local;

#[derive(Parser)]
struct Args {
    /// The command or question to explain.
    query: String,
    /// Run the local model instead of calling the API.
    #[arg(long)]
    offline: bool,
}

const MODEL: &str = "gpt-4o-mini";

#[tokio::main]
async fn main() -> Result<()> {
    let args = Args::parse();
    #[cfg(feature = "local")]
    if args.offline {
        println!("{}", local::explain(&args.query)?);
        return Ok(());
    }
    let client = Client::new();
    let request = CreateChatCompletionRequestArgs::default()
        .model(MODEL)
        .messages([ChatCompletionRequestUserMessageArgs::default()
            .content(format!("Explain this shell command in two lines: {}", args.query))
            .build()?
            .into()])
        .build()?;
    let response = client.chat().create(request).await?;
    if let Some(choice) = response.choices.first() {
        println!("{}", choice.message.content.clone().unwrap_or_default());
    }
    Ok(())
}
