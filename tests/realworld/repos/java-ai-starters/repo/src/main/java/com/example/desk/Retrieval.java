package com.example.desk;

import dev.langchain4j.agentic.AgenticServices;
import dev.langchain4j.model.voyageai.VoyageAiEmbeddingModel;

public class Retrieval {

    VoyageAiEmbeddingModel embeddings() {
        return VoyageAiEmbeddingModel.builder()
                .apiKey(System.getenv("VOYAGE_API_KEY"))
                .modelName("voyage-3")
                .build();
    }

    Object agents() {
        return AgenticServices.class;
    }
}
