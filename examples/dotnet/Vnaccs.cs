// The .NET binding of the vnaccs C library: P/Invoke declarations (Native) and a small safe
// wrapper (VnaccsException, Certificates, Identifiers, Job, Sandbox). Start from this file.
//
// Marshalling rules (see include/vnaccs.h):
// - every function is cdecl: CallingConvention.Cdecl on each declaration;
// - strings go in as byte[] holding UTF-8 and a final 0 (never `string`, which the default
//   marshaller would turn into the system code page); text comes back in a byte[] the caller
//   owns, decoded with Encoding.UTF8; no memory of the library is ever freed by .NET;
// - size_t is UIntPtr, int32_t is int, handles are SafeHandles freed by the library's _free;
// - no delegate crosses the boundary: the update is pulled with Job.Next().
using System;
using System.Runtime.InteropServices;
using System.Text;

namespace Vnaccs
{
    /// <summary>The raw C functions, exactly as include/vnaccs.h declares them.</summary>
    public static class Native
    {
        const string Lib = "vnaccs"; // vnaccs.dll on Windows, libvnaccs.so on Linux

        public const int Ok = 0;
        public const int BufferTooSmall = 8004;
        public const int Timeout = 8008;

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        public static extern IntPtr vnaccs_version();
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        public static extern uint vnaccs_abi_version();
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        public static extern int vnaccs_last_error(byte[] buf, UIntPtr capacity, out UIntPtr outLen);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        public static extern int vnaccs_identifier_normalize(byte[] kind, byte[] value, byte[] buf, UIntPtr capacity, out UIntPtr outLen);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        public static extern int vnaccs_certificates_inspect(byte[] data, UIntPtr len, byte[] buf, UIntPtr capacity, out UIntPtr outLen);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        public static extern int vnaccs_job_start(byte[] requestJson, byte[] adminPassword, byte[] keyPassword, byte[] newPassword, out JobHandle job);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        public static extern int vnaccs_job_next(JobHandle job, long timeoutMs, byte[] buf, UIntPtr capacity, out UIntPtr outLen);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        public static extern int vnaccs_job_provide_captcha(JobHandle job, byte[] answer);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        public static extern int vnaccs_job_provide_pin(JobHandle job, byte[] pin);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        public static extern int vnaccs_job_cancel(JobHandle job);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        public static extern void vnaccs_job_free(IntPtr job);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        public static extern int vnaccs_sandbox_start(byte[] scenarioJson, byte[] exportDir, out SandboxHandle sandbox);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        public static extern int vnaccs_sandbox_url(SandboxHandle sandbox, byte[] buf, UIntPtr capacity, out UIntPtr outLen);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        public static extern int vnaccs_sandbox_captcha_answer(SandboxHandle sandbox, byte[] buf, UIntPtr capacity, out UIntPtr outLen);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        public static extern int vnaccs_sandbox_approve_sent(SandboxHandle sandbox, out UIntPtr count);
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        public static extern void vnaccs_sandbox_free(IntPtr sandbox);
    }

    /// <summary>A job handle, freed (cancelled and joined) by vnaccs_job_free.</summary>
    public sealed class JobHandle : SafeHandle
    {
        public JobHandle() : base(IntPtr.Zero, true) { }
        public override bool IsInvalid { get { return handle == IntPtr.Zero; } }
        protected override bool ReleaseHandle() { Native.vnaccs_job_free(handle); return true; }
    }

    /// <summary>A sandbox handle, stopped and freed by vnaccs_sandbox_free.</summary>
    public sealed class SandboxHandle : SafeHandle
    {
        public SandboxHandle() : base(IntPtr.Zero, true) { }
        public override bool IsInvalid { get { return handle == IntPtr.Zero; } }
        protected override bool ReleaseHandle() { Native.vnaccs_sandbox_free(handle); return true; }
    }

    /// <summary>A failed call: its status and the library's error JSON (code, status, category,
    /// message, message_vi, hint, hint_vi, …).</summary>
    public class VnaccsException : Exception
    {
        public int Status { get; private set; }
        public string ErrorJson { get; private set; }
        public VnaccsException(int status, string json) : base(json) { Status = status; ErrorJson = json; }
    }

    /// <summary>UTF-8 in and out.</summary>
    public static class Utf8
    {
        /// <summary>The NUL-terminated UTF-8 bytes of s; null stays null (a C NULL).</summary>
        public static byte[] Z(string s) { return s == null ? null : Encoding.UTF8.GetBytes(s + "\0"); }

        /// <summary>Calls a (buf, capacity, out_len) function, growing the buffer once when it is
        /// too small (the second call returns the same text), and decodes the text.</summary>
        public static string Call(Func<byte[], UIntPtr, UIntPtr[], int> call)
        {
            byte[] buf = new byte[1024];
            UIntPtr[] len = new UIntPtr[1];
            int status = call(buf, (UIntPtr)buf.Length, len);
            if (status == Native.BufferTooSmall)
            {
                buf = new byte[(int)len[0].ToUInt64() + 1];
                status = call(buf, (UIntPtr)buf.Length, len);
            }
            Check(status);
            return Encoding.UTF8.GetString(buf, 0, (int)len[0].ToUInt64());
        }

        /// <summary>Throws the calling thread's last error unless status is 0.</summary>
        public static void Check(int status)
        {
            if (status != Native.Ok) throw new VnaccsException(status, LastError());
        }

        /// <summary>The calling thread's last error JSON.</summary>
        public static string LastError()
        {
            byte[] buf = new byte[4096];
            UIntPtr len;
            if (Native.vnaccs_last_error(buf, (UIntPtr)buf.Length, out len) == Native.BufferTooSmall)
            {
                buf = new byte[(int)len.ToUInt64() + 1];
                Native.vnaccs_last_error(buf, (UIntPtr)buf.Length, out len);
            }
            return Encoding.UTF8.GetString(buf, 0, (int)len.ToUInt64());
        }
    }

    /// <summary>Library-wide functions.</summary>
    public static class Library
    {
        public static string Version { get { return Marshal.PtrToStringAnsi(Native.vnaccs_version()); } }
        public static uint AbiVersion { get { return Native.vnaccs_abi_version(); } }

        /// <summary>The canonical form of an identifier of kind (tax_code, user_id, terminal_id,
        /// access_key, office_code, email, personal_id, serial); throws when invalid.</summary>
        public static string Normalize(string kind, string value)
        {
            return Utf8.Call((b, c, l) => Native.vnaccs_identifier_normalize(Utf8.Z(kind), Utf8.Z(value), b, c, out l[0]));
        }

        /// <summary>The views (JSON array) of every certificate in DER, PEM or base64 bytes.</summary>
        public static string InspectCertificates(byte[] data)
        {
            return Utf8.Call((b, c, l) => Native.vnaccs_certificates_inspect(data, (UIntPtr)data.Length, b, c, out l[0]));
        }
    }

    /// <summary>A running job (update, result, …), pulled with Next() until "finished" or
    /// "failed". Cancel() from any thread; Dispose() cancels and waits.</summary>
    public sealed class Job : IDisposable
    {
        readonly JobHandle handle;

        /// <summary>Starts the job of a request document; secrets never go in the JSON.</summary>
        public Job(string requestJson, string adminPassword, string keyPassword, string newPassword)
        {
            Utf8.Check(Native.vnaccs_job_start(Utf8.Z(requestJson), Utf8.Z(adminPassword), Utf8.Z(keyPassword), Utf8.Z(newPassword), out handle));
        }

        /// <summary>The next event's JSON document, waiting as long as needed.</summary>
        public string Next()
        {
            return Utf8.Call((b, c, l) => Native.vnaccs_job_next(handle, -1, b, c, out l[0]));
        }

        public void ProvideCaptcha(string answer) { Utf8.Check(Native.vnaccs_job_provide_captcha(handle, Utf8.Z(answer))); }

        /// <summary>The PIN's bytes are cleared here after the call; the library wipes its copy.</summary>
        public void ProvidePin(string pin)
        {
            byte[] bytes = Utf8.Z(pin);
            try { Utf8.Check(Native.vnaccs_job_provide_pin(handle, bytes)); }
            finally { if (bytes != null) Array.Clear(bytes, 0, bytes.Length); }
        }

        public void Cancel() { Utf8.Check(Native.vnaccs_job_cancel(handle)); }
        public void Dispose() { handle.Dispose(); }
    }

    /// <summary>The simulated customs portal, for offline integration tests.</summary>
    public sealed class Sandbox : IDisposable
    {
        readonly SandboxHandle handle;

        /// <summary>Starts from a scenario JSON, or (null) the test PKI's enterprise with its files
        /// written to exportDir.</summary>
        public Sandbox(string scenarioJson, string exportDir)
        {
            Utf8.Check(Native.vnaccs_sandbox_start(Utf8.Z(scenarioJson), Utf8.Z(exportDir), out handle));
        }

        public string Url { get { return Utf8.Call((b, c, l) => Native.vnaccs_sandbox_url(handle, b, c, out l[0])); } }
        public string CaptchaAnswer { get { return Utf8.Call((b, c, l) => Native.vnaccs_sandbox_captcha_answer(handle, b, c, out l[0])); } }

        public int ApproveSent()
        {
            UIntPtr count;
            Utf8.Check(Native.vnaccs_sandbox_approve_sent(handle, out count));
            return (int)count.ToUInt64();
        }

        public void Dispose() { handle.Dispose(); }
    }
}
