// Tiny admin helper for the local Kafka broker, run in Java's source-file mode with the
// broker's own classpath:  java -cp '.infra/kafka/lib/*' scripts/infra/kafka/KafkaAdmin.java ...
//
//   ensure <bootstrap> <timeoutMs> <partitions> <topic>...
//       waits until the broker answers DescribeCluster, then creates the missing topics and
//       waits until every partition of them has a leader.
//   probe <bootstrap> <timeoutMs> <topic>
//       produces one record and reads it back (end-to-end check, used by status/tests).
import java.time.Duration;
import java.util.*;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.*;
import org.apache.kafka.clients.consumer.*;
import org.apache.kafka.clients.producer.*;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

public class KafkaAdmin {
  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      System.err.println("usage: ensure <bootstrap> <timeoutMs> <partitions> <topic>... | probe <bootstrap> <timeoutMs> <topic>");
      System.exit(2);
    }
    String bootstrap = args[1];
    long deadline = System.currentTimeMillis() + Long.parseLong(args[2]);
    switch (args[0]) {
      case "ensure" -> ensure(bootstrap, deadline, Integer.parseInt(args[3]),
          Arrays.asList(args).subList(4, args.length));
      case "probe" -> probe(bootstrap, deadline, args[3]);
      default -> { System.err.println("unknown command " + args[0]); System.exit(2); }
    }
  }

  static Properties base(String bootstrap) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("request.timeout.ms", "5000");
    p.put("default.api.timeout.ms", "10000");
    p.put("reconnect.backoff.max.ms", "500");
    return p;
  }

  static long left(long deadline) {
    long ms = deadline - System.currentTimeMillis();
    if (ms <= 0) throw new IllegalStateException("timed out");
    return ms;
  }

  static void ensure(String bootstrap, long deadline, int partitions, List<String> topics) throws Exception {
    try (Admin admin = Admin.create(base(bootstrap))) {
      for (;;) {
        try {
          if (!admin.describeCluster().nodes().get(Math.min(5000, left(deadline)), TimeUnit.MILLISECONDS).isEmpty()) break;
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
          if (System.currentTimeMillis() > deadline) throw e;
        }
        Thread.sleep(200);
      }
      Set<String> existing = admin.listTopics().names().get(left(deadline), TimeUnit.MILLISECONDS);
      List<NewTopic> missing = new ArrayList<>();
      for (String t : topics) if (!existing.contains(t)) missing.add(new NewTopic(t, partitions, (short) 1));
      if (!missing.isEmpty()) {
        for (var e : admin.createTopics(missing).values().entrySet()) {
          try {
            e.getValue().get(left(deadline), TimeUnit.MILLISECONDS);
          } catch (ExecutionException ex) {
            if (!(ex.getCause() instanceof TopicExistsException)) throw ex;
          }
        }
      }
      // Every partition must have a leader before producers/consumers are let loose.
      for (;;) {
        boolean ok = true;
        if (!topics.isEmpty()) {
          try {
            for (var d : admin.describeTopics(topics).allTopicNames().get(left(deadline), TimeUnit.MILLISECONDS).values())
              for (var p : d.partitions()) if (p.leader() == null || p.leader().isEmpty()) ok = false;
          } catch (ExecutionException ex) {
            ok = false;
          }
        }
        if (ok) break;
        left(deadline);
        Thread.sleep(200);
      }
      System.out.println("topics: " + (missing.isEmpty() ? "all present" : "created "
          + missing.stream().map(NewTopic::name).toList()));
    }
  }

  static void probe(String bootstrap, long deadline, String topic) throws Exception {
    String value = "probe-" + UUID.randomUUID();
    Properties pp = base(bootstrap);
    pp.put("key.serializer", StringSerializer.class.getName());
    pp.put("value.serializer", StringSerializer.class.getName());
    pp.put("acks", "all");
    RecordMetadata md;
    try (Producer<String, String> producer = new KafkaProducer<>(pp)) {
      md = producer.send(new ProducerRecord<>(topic, "probe", value)).get(left(deadline), TimeUnit.MILLISECONDS);
    }
    Properties cp = base(bootstrap);
    cp.put("key.deserializer", StringDeserializer.class.getName());
    cp.put("value.deserializer", StringDeserializer.class.getName());
    try (Consumer<String, String> consumer = new KafkaConsumer<>(cp)) {
      TopicPartition tp = new TopicPartition(topic, md.partition());
      consumer.assign(List.of(tp));
      consumer.seek(tp, md.offset());
      for (;;) {
        for (var r : consumer.poll(Duration.ofMillis(Math.min(1000, left(deadline)))))
          if (r.value().equals(value)) {
            System.out.println("probe ok: " + topic + "-" + md.partition() + "@" + md.offset());
            return;
          }
      }
    }
  }
}
