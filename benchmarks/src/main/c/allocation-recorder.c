/*
 * A JVMTI agent that records every heap allocation of a running JVM with its call stack, for
 * the connection-cost mode of run.sh. Unlike a sampling profiler it misses nothing: it sets
 * the heap sampling interval to 0, so that the JVM reports each allocation that reaches the
 * heap (allocations that escape analysis removes are not made, and so not counted).
 *
 * The JVM starts with it (-agentpath:/path/liballocation-recorder.so=armed), because a new
 * sampling interval takes effect in a thread only at the thread's next sample, after up to
 * 512 KiB more allocation by default: set from the start, it is in effect in every thread.
 * Armed, it makes every allocation take the JVM's slower path but records nothing. Then
 *   jcmd PID 'JVMTI.agent_load /path/liballocation-recorder.so "start"'
 *   jcmd PID 'JVMTI.agent_load /path/liballocation-recorder.so "stop=/path/to/allocations.txt"'
 * record the allocations between the two commands; "stop" writes one line per distinct stack: the frames from the thread's root to the
 * allocating method separated by ';', then the allocated class (for example
 * "byte[]_[k]"), a space, the bytes allocated and, after another space, the number of
 * allocations. Stacks deeper than MAX_DEPTH frames keep their MAX_DEPTH innermost frames.
 */
#include <jvmti.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 128
#define TABLE_SIZE (1 << 18)

struct entry {
	uint64_t hash;
	jint depth;
	char *klass;
	jmethodID *frames;
	uint64_t bytes;
	uint64_t count;
};

static jvmtiEnv *jvmti;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct entry *table;
static volatile int recording;
static uint64_t dropped;

static uint64_t hash_of(const jvmtiFrameInfo *frames, jint depth, const char *klass) {
	uint64_t h = 1469598103934665603ULL;
	for (jint i = 0; i < depth; i++) {
		h = (h ^ (uint64_t) (uintptr_t) frames[i].method) * 1099511628211ULL;
	}
	for (const char *c = klass; *c; c++) {
		h = (h ^ (uint64_t) (unsigned char) *c) * 1099511628211ULL;
	}
	return h;
}

static int same(const struct entry *e, uint64_t hash, const jvmtiFrameInfo *frames, jint depth, const char *klass) {
	if (e->hash != hash || e->depth != depth || strcmp(e->klass, klass) != 0) {
		return 0;
	}
	for (jint i = 0; i < depth; i++) {
		if (e->frames[i] != frames[i].method) {
			return 0;
		}
	}
	return 1;
}

static void JNICALL on_allocation(jvmtiEnv *env, JNIEnv *jni, jthread thread, jobject object, jclass klass,
		jlong size) {
	jvmtiFrameInfo frames[MAX_DEPTH];
	jint depth = 0;
	char *signature = NULL;
	if (!recording || (*env)->GetStackTrace(env, thread, 0, MAX_DEPTH, frames, &depth) != JVMTI_ERROR_NONE
			|| (*env)->GetClassSignature(env, klass, &signature, NULL) != JVMTI_ERROR_NONE) {
		return;
	}
	uint64_t hash = hash_of(frames, depth, signature);
	pthread_mutex_lock(&lock);
	for (uint64_t probe = 0; probe < TABLE_SIZE; probe++) {
		struct entry *e = &table[(hash + probe) & (TABLE_SIZE - 1)];
		if (e->klass == NULL) {
			e->hash = hash;
			e->depth = depth;
			e->klass = strdup(signature);
			e->frames = malloc(sizeof(jmethodID) * (depth > 0 ? depth : 1));
			for (jint i = 0; i < depth; i++) {
				e->frames[i] = frames[i].method;
			}
		}
		if (same(e, hash, frames, depth, signature)) {
			e->bytes += (uint64_t) size;
			e->count++;
			pthread_mutex_unlock(&lock);
			(*env)->Deallocate(env, (unsigned char *) signature);
			return;
		}
	}
	dropped++;
	pthread_mutex_unlock(&lock);
	(*env)->Deallocate(env, (unsigned char *) signature);
}

/* "Ljava/lang/String;" -> "java.lang.String", "[B" -> "byte[]", "[[Ljava/lang/Object;" -> "java.lang.Object[][]" */
static void class_name(const char *signature, char *out, size_t size) {
	int dimensions = 0;
	while (signature[dimensions] == '[') {
		dimensions++;
	}
	const char *s = signature + dimensions;
	const char *primitive = NULL;
	switch (*s) {
		case 'B': primitive = "byte"; break;
		case 'C': primitive = "char"; break;
		case 'D': primitive = "double"; break;
		case 'F': primitive = "float"; break;
		case 'I': primitive = "int"; break;
		case 'J': primitive = "long"; break;
		case 'S': primitive = "short"; break;
		case 'Z': primitive = "boolean"; break;
		default: break;
	}
	size_t n = 0;
	if (primitive != NULL) {
		n = (size_t) snprintf(out, size, "%s", primitive);
	}
	else {
		s++;
		while (*s && *s != ';' && n + 1 < size) {
			out[n++] = (char) (*s == '/' ? '.' : *s);
			s++;
		}
		out[n] = '\0';
	}
	for (int i = 0; i < dimensions && n + 3 < size; i++) {
		out[n++] = '[';
		out[n++] = ']';
		out[n] = '\0';
	}
}

static void write_frame(FILE *out, jmethodID method) {
	jclass declaring;
	char *klass = NULL;
	char *name = NULL;
	if ((*jvmti)->GetMethodDeclaringClass(jvmti, method, &declaring) != JVMTI_ERROR_NONE
			|| (*jvmti)->GetClassSignature(jvmti, declaring, &klass, NULL) != JVMTI_ERROR_NONE
			|| (*jvmti)->GetMethodName(jvmti, method, &name, NULL, NULL) != JVMTI_ERROR_NONE) {
		fputs("[unknown]", out);
		return;
	}
	/* "Lorg/apache/Foo;" -> "org/apache/Foo", as async-profiler writes frames */
	size_t length = strlen(klass);
	fprintf(out, "%.*s.%s", (int) (length > 2 ? length - 2 : 0), klass + 1, name);
	(*jvmti)->Deallocate(jvmti, (unsigned char *) klass);
	(*jvmti)->Deallocate(jvmti, (unsigned char *) name);
}

static jint stop(const char *path) {
	recording = 0;
	FILE *out = fopen(path, "w");
	if (out == NULL) {
		return 2;
	}
	pthread_mutex_lock(&lock);
	for (uint64_t i = 0; i < TABLE_SIZE; i++) {
		struct entry *e = &table[i];
		if (e->klass == NULL) {
			continue;
		}
		for (jint f = e->depth - 1; f >= 0; f--) {
			write_frame(out, e->frames[f]);
			fputc(';', out);
		}
		char name[512];
		class_name(e->klass, name, sizeof(name));
		fprintf(out, "%s_[k] %llu %llu\n", name, (unsigned long long) e->bytes, (unsigned long long) e->count);
		free(e->klass);
		free(e->frames);
		memset(e, 0, sizeof(*e));
	}
	if (dropped > 0) {
		fprintf(stderr, "allocation-recorder: %llu allocations not recorded, the table was full\n",
				(unsigned long long) dropped);
	}
	pthread_mutex_unlock(&lock);
	fclose(out);
	return 0;
}

static jint arm(JavaVM *vm) {
	if (jvmti == NULL) {
		if ((*vm)->GetEnv(vm, (void **) &jvmti, JVMTI_VERSION_11) != JNI_OK) {
			return 3;
		}
		jvmtiCapabilities capabilities;
		memset(&capabilities, 0, sizeof(capabilities));
		capabilities.can_generate_sampled_object_alloc_events = 1;
		if ((*jvmti)->AddCapabilities(jvmti, &capabilities) != JVMTI_ERROR_NONE) {
			return 4;
		}
		jvmtiEventCallbacks callbacks;
		memset(&callbacks, 0, sizeof(callbacks));
		callbacks.SampledObjectAlloc = on_allocation;
		(*jvmti)->SetEventCallbacks(jvmti, &callbacks, sizeof(callbacks));
		table = calloc(TABLE_SIZE, sizeof(struct entry));
	}
	(*jvmti)->SetHeapSamplingInterval(jvmti, 0);
	return (*jvmti)->SetEventNotificationMode(jvmti, JVMTI_ENABLE, JVMTI_EVENT_SAMPLED_OBJECT_ALLOC, NULL)
			== JVMTI_ERROR_NONE ? 0 : 5;
}

JNIEXPORT jint JNICALL Agent_OnAttach(JavaVM *vm, char *options, void *reserved) {
	if (options != NULL && strncmp(options, "stop=", 5) == 0) {
		return jvmti == NULL ? 1 : stop(options + 5);
	}
	if (options != NULL && strcmp(options, "start") == 0) {
		if (jvmti == NULL) {
			return 1;
		}
		dropped = 0;
		recording = 1;
		return 0;
	}
	if (options != NULL && strcmp(options, "armed") == 0) {
		return arm(vm);
	}
	fprintf(stderr, "allocation-recorder: unknown options '%s' (armed, start, or stop=FILE)\n", options);
	return 1;
}

JNIEXPORT jint JNICALL Agent_OnLoad(JavaVM *vm, char *options, void *reserved) {
	return Agent_OnAttach(vm, options, reserved);
}
