package org.referralhub.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/** template.yaml as data, its intrinsic functions ({@code !Ref}, {@code !Sub}…) read as CloudFormation means them. */
public final class TemplateYaml {

    private TemplateYaml() {
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> load() {
        try {
            String root = System.getProperty("hub.repository.root", "..");
            String text = Files.readString(Path.of(root, "template.yaml"));
            return new Yaml(new CloudFormationTags()).load(text);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read template.yaml", e);
        }
    }

    /** Reads !Ref, !GetAtt, !Sub as plain maps, as CloudFormation means them. */
    private static final class CloudFormationTags extends SafeConstructor {
        CloudFormationTags() {
            super(new LoaderOptions());
            for (String tag : List.of("Ref", "GetAtt", "Sub", "Join", "If", "Equals", "Not", "And", "Or", "Select", "Split",
                    "FindInMap", "Base64", "ImportValue", "GetAZs", "Cidr")) {
                this.yamlConstructors.put(new Tag("!" + tag), new AbstractConstruct() {
                    @Override
                    public Object construct(Node node) {
                        Object value = node instanceof ScalarNode s ? s.getValue()
                                : node instanceof SequenceNode q ? constructSequence(q) : constructMapping((MappingNode) node);
                        return Map.of(tag.equals("Ref") ? "Ref" : "Fn::" + tag, value);
                    }
                });
            }
        }
    }

}
