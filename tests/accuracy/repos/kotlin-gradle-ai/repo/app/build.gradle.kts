plugins {
    alias(libs.plugins.kotlin.jvm)
    application
}

dependencies {
    implementation(libs.ktor.server.core)
    implementation(libs.ktor.server.netty)
    implementation(libs.openai.client)
    implementation(libs.langchain4j.core)
    implementation(libs.langchain4j.ollama)
    implementation(libs.djl.api)
    implementation("com.google.cloud:google-cloud-vertexai:1.13.0")
    runtimeOnly(libs.logback)
    testImplementation(kotlin("test"))
}

application {
    mainClass.set("com.acme.notes.MainKt")
}
