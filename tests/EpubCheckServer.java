import com.adobe.epubcheck.tool.EpubChecker;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * EPUBCheck on book after book in one JVM (tests/validators.py runs it with the jar on the class path).
 *
 * <p>Reads lines "BOOK TAB REPORT" on standard input; for each, runs EPUBCheck's own command line
 * ({@code BOOK -q --json REPORT}) and answers "done STATUS" (its exit status) on standard output.
 * Starting a JVM and loading EPUBCheck's schemas costs seconds; a book then takes a fraction of one.
 */
public class EpubCheckServer {
    public static void main(String[] args) throws Exception {
        PrintStream answers = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        System.setOut(System.err); // whatever EPUBCheck prints stays out of the answers
        BufferedReader requests = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        answers.println("ready");
        String line;
        while ((line = requests.readLine()) != null) {
            String[] parts = line.split("\t", 2);
            int status;
            try {
                status = new EpubChecker().run(new String[] {parts[0], "-q", "--json", parts[1]});
            } catch (Throwable e) {
                e.printStackTrace();
                status = -1;
            }
            answers.println("done " + status);
        }
    }
}
