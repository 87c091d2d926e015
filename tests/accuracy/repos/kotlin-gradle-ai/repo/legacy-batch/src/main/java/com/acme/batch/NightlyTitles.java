package com.acme.batch;

import dev.langchain4j.model.openai.OpenAiChatModel;

public final class NightlyTitles {
    private final OpenAiChatModel model = OpenAiChatModel.builder()
            .apiKey(System.getenv("OPENAI_API_KEY"))
            .modelName("gpt-4o-mini")
            .build();

    public String title(String notes) {
        return model.generate("Give these meeting notes a six-word title:\n" + notes);
    }
}
