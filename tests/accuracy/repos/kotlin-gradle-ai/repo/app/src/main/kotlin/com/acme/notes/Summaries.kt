package com.acme.notes

import com.aallam.openai.api.chat.ChatCompletionRequest
import com.aallam.openai.api.chat.ChatMessage
import com.aallam.openai.api.chat.ChatRole
import com.aallam.openai.api.model.ModelId
import com.aallam.openai.client.OpenAI

class Summaries(private val openAI: OpenAI) {
    suspend fun actionItems(transcript: String): String {
        val request = ChatCompletionRequest(
            model = ModelId("gpt-4.1-mini"),
            messages = listOf(
                ChatMessage(role = ChatRole.System, content = "List the action items with owners."),
                ChatMessage(role = ChatRole.User, content = transcript),
            ),
        )
        return openAI.chatCompletion(request).choices.first().message.content.orEmpty()
    }
}
