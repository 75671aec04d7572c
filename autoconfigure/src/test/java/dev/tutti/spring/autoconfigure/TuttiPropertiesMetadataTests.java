package dev.tutti.spring.autoconfigure;

import java.beans.PropertyDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.BeanUtils;
import org.springframework.beans.BeanWrapper;
import org.springframework.beans.BeanWrapperImpl;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.core.convert.ConversionService;
import org.springframework.core.convert.TypeDescriptor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the configuration metadata that {@code spring-boot-configuration-processor}
 * generates from {@link TuttiProperties}, merged with
 * {@code additional-spring-configuration-metadata.json}, which gives the defaults the
 * processor cannot read from a constant of the core.
 */
class TuttiPropertiesMetadataTests {

	@Test
	void describesEveryTuttiProperty() throws IOException {
		Map<String, JsonNode> properties = tuttiProperties();
		assertThat(properties).containsKeys("tutti.path", "tutti.allowed-origins", "tutti.allowed-origin-patterns",
				"tutti.write-timeout", "tutti.pong-timeout", "tutti.ping-period", "tutti.max-message-size",
				"tutti.outbound-buffer-size", "tutti.overflow-policy", "tutti.concurrent-message-handling",
				"tutti.shutdown-timeout", "tutti.cluster.backplane", "tutti.cluster.node-id",
				"tutti.cluster.channel-prefix", "tutti.cluster.publish-timeout", "tutti.cluster.max-envelope-size",
				"tutti.cluster.heartbeat-period", "tutti.cluster.redis.sharded");
		properties.forEach((name, property) -> {
			assertThat(property.path("description").asString()).as("description of %s", name)
				.isNotBlank()
				.endsWith(".");
			assertThat(property.path("type").asString()).as("type of %s", name).isNotBlank();
			assertThat(property.path("sourceType").asString()).as("source type of %s", name)
				.startsWith(TuttiProperties.class.getName());
		});
	}

	@Test
	void listsExactlyTheBindableProperties() throws IOException {
		assertThat(tuttiProperties().keySet())
			.containsExactlyInAnyOrderElementsOf(bindable("tutti.", TuttiProperties.class));
	}

	@Test
	void givesEveryPropertyButThePingPeriodAndTheNodeIdADefault() throws IOException {
		tuttiProperties().forEach((name, property) -> {
			if (name.equals("tutti.ping-period")) {
				assertThat(property.has("defaultValue")).as("default of %s", name).isFalse();
				assertThat(property.path("description").asString()).contains("Defaults to 9/10 of the pong timeout");
			}
			else if (name.equals("tutti.cluster.node-id")) {
				assertThat(property.has("defaultValue")).as("default of %s", name).isFalse();
				assertThat(property.path("description").asString()).contains("Defaults to a random UUID");
			}
			else {
				assertThat(property.has("defaultValue")).as("default of %s", name).isTrue();
			}
		});
	}

	@Test
	void defaultsAreThoseOfTheProperties() throws IOException {
		BeanWrapper defaults = new BeanWrapperImpl(new TuttiProperties());
		ConversionService conversionService = ApplicationConversionService.getSharedInstance();
		Map<String, JsonNode> properties = tuttiProperties();
		properties.values().removeIf((property) -> !property.has("defaultValue"));
		assertThat(properties).isNotEmpty();
		properties.forEach((name, property) -> {
			JsonNode defaultValue = property.get("defaultValue");
			Object value;
			if (defaultValue.isArray()) {
				List<String> elements = new ArrayList<>();
				defaultValue.forEach((element) -> elements.add(element.asString()));
				value = elements;
			}
			else {
				value = defaultValue.asString();
			}
			String path = javaBeanPath(name);
			Object converted = conversionService.convert(value, TypeDescriptor.forObject(value),
					defaults.getPropertyTypeDescriptor(path));
			assertThat(converted).as("default of %s", name).isEqualTo(defaults.getPropertyValue(path));
		});
	}

	@Test
	void declaresTheTypesUsersWrite() throws IOException {
		Map<String, JsonNode> properties = tuttiProperties();
		assertThat(properties.get("tutti.write-timeout").path("type").asString()).isEqualTo("java.time.Duration");
		assertThat(properties.get("tutti.pong-timeout").path("type").asString()).isEqualTo("java.time.Duration");
		assertThat(properties.get("tutti.ping-period").path("type").asString()).isEqualTo("java.time.Duration");
		assertThat(properties.get("tutti.shutdown-timeout").path("type").asString()).isEqualTo("java.time.Duration");
		assertThat(properties.get("tutti.max-message-size").path("type").asString())
			.isEqualTo("org.springframework.util.unit.DataSize");
		assertThat(properties.get("tutti.overflow-policy").path("type").asString())
			.isEqualTo("dev.tutti.OverflowPolicy");
	}

	private static Map<String, JsonNode> tuttiProperties() throws IOException {
		JsonMapper mapper = JsonMapper.builder().build();
		Map<String, JsonNode> properties = new LinkedHashMap<>();
		for (URL url : Collections.list(TuttiPropertiesMetadataTests.class.getClassLoader()
			.getResources("META-INF/spring-configuration-metadata.json"))) {
			try (InputStream in = url.openStream()) {
				for (JsonNode property : mapper.readTree(in).path("properties")) {
					String name = property.path("name").asString();
					if (name.startsWith("tutti.")) {
						properties.put(name, property);
					}
				}
			}
		}
		return properties;
	}

	/**
	 * Return the JavaBean property path of a property, such as {@code json.typeProperty}
	 * for {@code tutti.json.type-property}.
	 */
	private static String javaBeanPath(String name) {
		Matcher dash = Pattern.compile("-([a-z])").matcher(name.substring("tutti.".length()));
		StringBuilder path = new StringBuilder();
		while (dash.find()) {
			dash.appendReplacement(path, dash.group(1).toUpperCase(Locale.ROOT));
		}
		return dash.appendTail(path).toString();
	}

	/**
	 * Return the names of the JavaBean properties of a properties class: those with a
	 * setter, and those of nested groups declared inside it.
	 */
	static Set<String> bindable(String prefix, Class<?> type) {
		Set<String> names = new TreeSet<>();
		for (PropertyDescriptor descriptor : BeanUtils.getPropertyDescriptors(type)) {
			String name = prefix + descriptor.getName().replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
			if (descriptor.getWriteMethod() != null) {
				names.add(name);
			}
			else if (descriptor.getReadMethod() != null && descriptor.getPropertyType().getDeclaringClass() == type) {
				names.addAll(bindable(name + ".", descriptor.getPropertyType()));
			}
		}
		return names;
	}

}
