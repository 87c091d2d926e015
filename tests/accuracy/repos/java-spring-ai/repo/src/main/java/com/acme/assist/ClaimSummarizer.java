package com.acme.assist;

import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.chat.ChatLanguageModel;
import org.springframework.stereotype.Component;

@Component
public class ClaimSummarizer {

    private final ChatLanguageModel model = AnthropicChatModel.builder()
            .apiKey(System.getenv("ANTHROPIC_API_KEY"))
            .modelName("claude-3-5-haiku-latest")
            .maxTokens(600)
            .build();

    public String summarize(String claimText) {
        return model.generate("Summarise this claim for an adjuster:\n" + claimText);
    }
}
