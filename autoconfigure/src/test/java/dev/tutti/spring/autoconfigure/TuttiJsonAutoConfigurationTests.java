package dev.tutti.spring.autoconfigure;

import dev.tutti.Codec;
import dev.tutti.Hub;
import dev.tutti.HubConfig;
import dev.tutti.spring.json.JacksonJsonCodec;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the JSON codec part of {@link TuttiAutoConfiguration}.
 */
class TuttiJsonAutoConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, TuttiAutoConfiguration.class));

	@Test
	void hubUsesACodecBackedByTheApplicationsJsonMapper() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(JacksonJsonCodec.class);
			Hub hub = context.getBean(TuttiAutoConfiguration.HUB_BEAN_NAME, Hub.class);
			assertThat(hub.codec()).isSameAs(context.getBean(Codec.class));
			assertThat(hub.codec()).extracting("mapper").isSameAs(context.getBean(JsonMapper.class));
		});
	}

	@Test
	void backsOffToAUserCodec() {
		this.contextRunner.withUserConfiguration(UserCodecConfiguration.class).run((context) -> {
			assertThat(context).doesNotHaveBean(JacksonJsonCodec.class);
			Hub hub = context.getBean(TuttiAutoConfiguration.HUB_BEAN_NAME, Hub.class);
			assertThat(hub.codec()).isSameAs(context.getBean("userCodec"));
		});
	}

	@Test
	void noCodecWithoutJackson() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(JsonMapper.class)).run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(Codec.class);
			assertThat(context.getBean(TuttiAutoConfiguration.HUB_BEAN_NAME, Hub.class).codec()).isNull();
		});
	}

	@Test
	void noCodecWithoutAJsonMapperBean() {
		new WebApplicationContextRunner().withConfiguration(AutoConfigurations.of(TuttiAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(Codec.class));
	}

	@Test
	void bindsTheJsonProperties() {
		this.contextRunner.withPropertyValues("tutti.json.type-property=kind", "tutti.json.error-reply=true")
			.run((context) -> {
				HubConfig config = context.getBean(TuttiAutoConfiguration.HUB_BEAN_NAME, Hub.class).config();
				assertThat(config.messageTypeProperty()).isEqualTo("kind");
				assertThat(config.decodingErrorReply()).isTrue();
			});
	}

	@Test
	void typePropertyDefaultsToTheCoreDefault() {
		this.contextRunner.run((context) -> {
			assertThat(context.getBean(TuttiProperties.class).getJson().getTypeProperty())
				.isEqualTo(HubConfig.defaults().messageTypeProperty());
			assertThat(context.getBean(TuttiAutoConfiguration.HUB_BEAN_NAME, Hub.class).config().messageTypeProperty())
				.isEqualTo(HubConfig.DEFAULT_MESSAGE_TYPE_PROPERTY);
		});
	}

	@Test
	void errorReplyDefaultsToTheCoreDefault() {
		this.contextRunner.run((context) -> {
			assertThat(context.getBean(TuttiProperties.class).getJson().isErrorReply())
				.isEqualTo(HubConfig.defaults().decodingErrorReply());
			assertThat(context.getBean(TuttiAutoConfiguration.HUB_BEAN_NAME, Hub.class).config().decodingErrorReply())
				.isFalse();
		});
	}

	@Test
	void blankTypePropertyFailsStartupNamingTheProperty() {
		this.contextRunner.withPropertyValues("tutti.json.type-property= ")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("tutti.json.type-property"));
	}

	@Configuration(proxyBeanMethods = false)
	static class UserCodecConfiguration {

		@Bean
		Codec userCodec() {
			return new Codec() {

				@Override
				public String encode(Object value) {
					return value.toString();
				}

				@Override
				public <T> T decode(String text, Class<T> type) {
					throw new UnsupportedOperationException("decoding is not needed here");
				}

				@Override
				public @Nullable String readDiscriminator(String text, String property) {
					return null;
				}

			};
		}

	}

}
