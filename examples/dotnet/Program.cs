// The example client, run by tests/run.sh: inspects a certificate with a Vietnamese name, then
// runs the whole update against the sandbox. Usage: mono vnaccs-example.exe TEST_PKI_DIR
using System;
using System.IO;
using System.Text.RegularExpressions;
using Vnaccs;

static class Program
{
    static int failures = 0;

    static void Check(bool ok, string what)
    {
        if (!ok) { Console.Error.WriteLine("check failed: " + what); failures++; }
    }

    /// <summary>The string value of "key" in a JSON document (enough for this example).</summary>
    static string Field(string json, string key)
    {
        Match m = Regex.Match(json, "\"" + key + "\":\"([^\"]*)\"");
        return m.Success ? m.Groups[1].Value : null;
    }

    static int Main(string[] args)
    {
        string dir = args[0];
        Check(Library.AbiVersion == 1, "ABI version");
        Console.WriteLine("vnaccs " + Library.Version);

        // Identifiers, and an error in both languages.
        Check(Library.Normalize("tax_code", " 0302345459 ") == "0302345459", "normalize");
        try { Library.Normalize("tax_code", "0302345458"); Check(false, "invalid tax code refused"); }
        catch (VnaccsException e)
        {
            Check(Field(e.ErrorJson, "code") == "invalid_tax_code", "error code");
            Check(Field(e.ErrorJson, "message_vi").StartsWith("Mã số thuế"), "Vietnamese message: " + e.ErrorJson);
        }

        // A certificate with a Vietnamese name: the diacritics come back intact.
        string views = Library.InspectCertificates(File.ReadAllBytes(Path.Combine(dir, "new.pem")));
        string cn = Field(views, "subject_cn");
        Check(cn == "CÔNG TY TNHH THƯƠNG MẠI SÀI GÒN", "subject_cn: " + cn);
        Console.WriteLine("certificate: " + cn);
        string oldSerial = Field(Library.InspectCertificates(File.ReadAllBytes(Path.Combine(dir, "old.pem"))), "serial");

        // The whole update against the sandbox.
        using (Sandbox sandbox = new Sandbox(File.ReadAllText(Path.Combine(dir, "scenario.json")), null))
        {
            string d = dir.Replace("\\", "\\\\");
            string request = "{\"schema_version\":1,\"operation\":\"update\","
                + "\"enterprise\":{\"tax_code\":\"0302345459\",\"representative_id\":\"001085012345\","
                + "\"admin_email\":\"admin@saigontrade.vn\",\"sender_name\":\"Nguyễn Văn An\","
                + "\"sender_email\":\"khaibao@saigontrade.vn\",\"office\":\"01B1\",\"old_serial\":\"" + oldSerial + "\"},"
                + "\"keys\":{\"source\":\"files\",\"pem\":["
                + "{\"certificate\":\"" + d + "/old.pem\",\"key\":\"" + d + "/old.key.pem\"},"
                + "{\"certificate\":\"" + d + "/new.pem\",\"key\":\"" + d + "/new.key.pem\"}]},"
                + "\"portal\":{\"base_url\":\"" + sandbox.Url + "\"}}";
            int progress = 0;
            string last = null;
            using (Job job = new Job(request, "Hq@2026vnaccs", null, null))
            {
                for (;;)
                {
                    string ev = job.Next();
                    string kind = Field(ev, "event");
                    if (kind == "progress") { progress++; Console.WriteLine("  " + Field(ev, "message_vi")); }
                    else if (kind == "need_captcha") job.ProvideCaptcha(sandbox.CaptchaAnswer);
                    else if (kind == "need_pin") job.ProvidePin("246810");
                    else { last = ev; break; }
                }
            }
            Check(Field(last, "event") == "finished", "update finished: " + last);
            Check(progress > 3, "progress events");
            Check(sandbox.ApproveSent() >= 1, "Customs approves");
        }
        Console.WriteLine(failures == 0 ? "dotnet: ok" : "dotnet: FAILED");
        return failures == 0 ? 0 : 1;
    }
}
