plugins {
    alias(libs.plugins.kotlin.jvm)
}

dependencies {
    implementation(platform(libs.spring.ai.bom))
    implementation(enforcedPlatform(libs.langchain4j.bom))
    implementation(libs.bundles.spring.ai)
    implementation(libs.langchain4j.anthropic)
    implementation(libs.mcp.kotlin)
    implementation(libs.kotlinx.coroutines)
}
