package com.acme.notes

import com.google.cloud.vertexai.VertexAI
import com.google.cloud.vertexai.generativeai.GenerativeModel
import dev.langchain4j.model.ollama.OllamaChatModel

object Topics {
    private val local = OllamaChatModel.builder()
        .baseUrl("http://localhost:11434")
        .modelName("mistral:7b-instruct")
        .build()

    fun topicsLocal(text: String): String = local.generate("Three topics, comma separated:\n$text")

    fun topicsCloud(text: String): String {
        VertexAI("acme-notes", "europe-west4").use { vertex ->
            val model = GenerativeModel("gemini-1.5-flash-002", vertex)
            return model.generateContent("Three topics:\n$text").toString()
        }
    }
}
